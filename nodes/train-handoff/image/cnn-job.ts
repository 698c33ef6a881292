// The CNN trainer as a worker job: a checked job in (preprocessed NCHW images, class indices), the
// weights as plain arrays, the per-epoch curve and final metrics out, so the result crosses the
// worker boundary as it is and `cnnWeightsOnnxHead(result.cnn)` makes the ONNX head.
import type { EpochProgress } from '../tabular/params'
import { cnnConfigSchema, disposeCnn, trainCnn, type CnnProgress } from './cnn'
import { cnnJobSchema, type CnnJobInput, type CnnResult } from './cnn-params'
import { paramsToWeights } from './cnn-shape'

export interface CnnJobOptions {
  onProgress?: (progress: EpochProgress) => void
  signal?: AbortSignal
}

/** The CNN counts epochs from 1; the other trainers (and the node's chart mapping) from 0. */
function epochProgress(p: CnnProgress): EpochProgress {
  return { step: p.step - 1, train_loss: p.train_loss, ...(p.val_loss !== undefined ? { val_loss: p.val_loss } : {}), ...(p.val_accuracy !== undefined ? { val_metric: p.val_accuracy } : {}) }
}

export async function trainCnnJob(input: CnnJobInput, options: CnnJobOptions = {}): Promise<CnnResult> {
  const job = cnnJobSchema.parse(input)
  const config = cnnConfigSchema.parse(job.params)
  const set = (s: { features: Float32Array; targets: Int32Array }) => ({ features: s.features, labels: s.targets, count: s.targets.length })
  const started = performance.now()
  const model = await trainCnn(set(job.train), {
    height: job.height,
    width: job.width,
    classes: job.classes,
    config,
    ...(job.validation ? { validation: set(job.validation) } : {}),
    onEpoch: (p) => options.onProgress?.(epochProgress(p)),
    ...(options.signal ? { signal: options.signal } : {}),
  })
  try {
    const curve = model.curve.map(epochProgress)
    const best = curve[model.bestEpoch - 1] ?? curve.at(-1)
    const metrics: Record<string, number> = { epochs: curve.length, train_loss: best?.train_loss ?? Number.NaN }
    if (best?.val_loss !== undefined) Object.assign(metrics, { best_epoch: model.bestEpoch - 1, val_loss: best.val_loss, val_accuracy: best.val_metric ?? Number.NaN })
    return {
      algorithm: 'cnn',
      cnn: paramsToWeights(model.shape, model.params),
      curve,
      metrics,
      params: { ...config },
      secondsPerEpoch: (performance.now() - started) / 1000 / Math.max(1, curve.length),
    }
  } finally {
    disposeCnn(model)
  }
}
