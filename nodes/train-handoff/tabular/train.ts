// One entry for the four built-in tabular trainers: a checked job in, learned weights, the
// training curve and final metrics out. Plain data only (typed arrays), so the result crosses a
// worker boundary as it is; `denseHead(result.weights)` turns it into the ONNX head.
import { ensureBackend, type TfBackend } from './backend'
import { trainDenseNet, type DenseWeights, type NetSet, type NetSpec } from './dense-net'
import { meanSquaredError, rSquared } from './metrics'
import { tabularJobSchema, type EpochProgress, type TabularAlgorithm, type TabularJob, type TabularJobInput, type TrainOptions } from './params'
import { fitRidge, predictLinear } from './ridge'

export interface TrainResult {
  algorithm: TabularAlgorithm
  task: 'classification' | 'regression'
  weights: DenseWeights
  curve: EpochProgress[]
  /** snake_case, as model metadata keeps them: train_loss, val_loss, val_accuracy or val_r2 */
  metrics: Record<string, number>
  /** the parameters used, defaults filled in */
  params: Record<string, unknown>
  backend: TfBackend | 'none'
}

function netSet(set: NonNullable<TabularJob['validation']>, classes: number | undefined): NetSet {
  return {
    features: set.features,
    targets: classes === undefined ? { kind: 'values', values: set.targets as Float32Array } : { kind: 'classes', classes, values: set.targets as Int32Array },
  }
}

function finalMetrics(curve: readonly EpochProgress[], bestEpoch: number, task: TrainResult['task']): Record<string, number> {
  const kept = curve.find((p) => p.step === bestEpoch) ?? curve.at(-1)
  const metrics: Record<string, number> = { epochs: curve.length, best_epoch: bestEpoch }
  if (!kept) return metrics
  metrics.train_loss = kept.train_loss
  if (kept.val_loss !== undefined) metrics.val_loss = kept.val_loss
  if (kept.val_metric !== undefined) metrics[task === 'classification' ? 'val_accuracy' : 'val_r2'] = kept.val_metric
  return metrics
}

function trainRidge(job: Extract<TabularJob, { algorithm: 'ridge' }>, options: TrainOptions): TrainResult {
  if (options.signal?.aborted) throw Object.assign(new Error('training canceled'), { name: 'AbortError' })
  const weights = fitRidge(job.train.features, job.train.targets, job.featureCount, job.params.l2)
  const progress: EpochProgress = { step: 0, train_loss: meanSquaredError(predictLinear(weights, job.train.features), job.train.targets) }
  if (job.validation) {
    const predictions = predictLinear(weights, job.validation.features)
    progress.val_loss = meanSquaredError(predictions, job.validation.targets)
    progress.val_metric = rSquared(predictions, job.validation.targets)
  }
  options.onProgress?.(progress)
  return { algorithm: 'ridge', task: 'regression', weights, curve: [progress], metrics: finalMetrics([progress], 0, 'regression'), params: { ...job.params }, backend: 'none' }
}

async function trainNetwork(job: Exclude<TabularJob, { algorithm: 'ridge' }>, options: TrainOptions): Promise<TrainResult> {
  const classes = 'classes' in job ? job.classes : undefined
  const task = classes === undefined ? 'regression' : 'classification'
  const spec: NetSpec = 'hiddenLayers' in job.params ? job.params : { ...job.params, hiddenLayers: [], dropout: 0 }
  const backend = await ensureBackend(options.log)
  const result = await trainDenseNet(netSet(job.train, classes), job.validation && netSet(job.validation, classes), job.featureCount, spec, options)
  return { algorithm: job.algorithm, task, weights: result.weights, curve: result.curve, metrics: finalMetrics(result.curve, result.bestEpoch, task), params: { ...job.params }, backend }
}

/** Trains in this thread. Throws a ZodError for a malformed job, an AbortError when canceled. */
export async function trainTabular(input: TabularJobInput, options: TrainOptions = {}): Promise<TrainResult> {
  const job = tabularJobSchema.parse(input)
  return job.algorithm === 'ridge' ? trainRidge(job, options) : trainNetwork(job, options)
}
