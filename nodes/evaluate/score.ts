// Scoring a model on held-out data with onnxruntime-node, batch by batch, exactly as serving feeds
// it; and its latency per row at batch 1 and 32.
import ort from 'onnxruntime-node'
import { performance } from 'node:perf_hooks'
import { StepError } from '../contract'
import { modelOutputs } from '../_lib/models/metadata'
import type { ModelRunner, Outputs, TensorData } from '../_lib/models/session-thread/session-thread'
import type { FeedBatch, FeedTensor } from './model-feeds'

export interface Scored {
  truth: (string | number | null)[]
  segments: string[] | null
  /** classification: the predicted class names */
  predicted: string[]
  /** classification: row-major probabilities [rows × classes] */
  probabilities: Float32Array | null
  classes: number
  /** regression: the predicted values */
  values: Float64Array | null
  rows: number
}

export function toOrtFeeds(feeds: Record<string, FeedTensor>): Record<string, ort.Tensor> {
  const out: Record<string, ort.Tensor> = {}
  for (const [name, t] of Object.entries(feeds)) out[name] = new ort.Tensor(t.type, t.data, t.dims)
  return out
}

/** Batches sent to the model before the first answer is awaited: a model in its own thread runs one while the next is read. */
const batchesInFlight = 2

/**
 * Runs every batch; `task` decides which outputs it reads. A Pipewright model names them
 * `label`, `probabilities` and `prediction`; an imported one may not, so the first float output
 * of the right shape stands in, and the predicted class is the most probable of `labels`.
 */
export async function scoreBatches(
  runner: ModelRunner,
  batches: AsyncIterable<FeedBatch>,
  task: 'classification' | 'regression',
  options: { labels?: readonly string[]; onBatch?: (rows: number) => void } = {},
): Promise<Scored> {
  const truth: (string | number | null)[] = []
  const segments: string[] = []
  let hasSegments = false
  const predicted: string[] = []
  const probabilityParts: Float32Array[] = []
  const valueParts: number[] = []
  let classes = 0
  const collect = ([batch, result]: [FeedBatch, Outputs]) => {
    truth.push(...batch.truth)
    if (batch.segments) {
      hasSegments = true
      segments.push(...batch.segments)
    }
    if (task === 'classification') {
      const probabilities = scoresOutput(result, modelOutputs.probabilities, 2)
      classes = probabilities.dims[1] ?? 1
      // a typed array's own constructor copies it at once (`from` walks it value by value)
      const data = probabilities.data
      const values = data instanceof Float32Array || data instanceof Float64Array ? new Float32Array(data) : Float32Array.from(data as ArrayLike<number>)
      probabilityParts.push(values)
      predicted.push(...predictedLabels(result, values, classes, options.labels))
    } else {
      valueParts.push(...Array.from(scoresOutput(result, modelOutputs.prediction, 2).data as ArrayLike<number>, Number))
    }
    options.onBatch?.(truth.length)
  }
  const inFlight: Promise<[FeedBatch, Outputs]>[] = []
  try {
    for await (const batch of batches) {
      const running = runBatch(runner, batch).then((result): [FeedBatch, Outputs] => [batch, result])
      // awaited in its turn below; until then a failure must not count as unhandled
      running.catch(() => undefined)
      inFlight.push(running)
      if (inFlight.length >= batchesInFlight) collect(await inFlight.shift()!)
    }
    while (inFlight.length > 0) collect(await inFlight.shift()!)
  } finally {
    await Promise.allSettled(inFlight)
  }
  return {
    truth,
    segments: hasSegments ? segments : null,
    predicted,
    probabilities: task === 'classification' ? concat(probabilityParts) : null,
    classes,
    values: task === 'regression' ? Float64Array.from(valueParts) : null,
    rows: truth.length,
  }
}

/** The model's own `label` output, else the most probable class by name (or by number without names). */
function predictedLabels(result: Outputs, probabilities: Float32Array, classes: number, labels: readonly string[] | undefined): string[] {
  const own = result[modelOutputs.label]
  if (own) {
    const data = own.data as ArrayLike<unknown>
    const out = new Array<string>(data.length)
    for (let i = 0; i < data.length; i++) out[i] = String(data[i])
    return out
  }
  const out: string[] = []
  for (let row = 0; row < probabilities.length / classes; row++) {
    let best = 0
    for (let k = 1; k < classes; k++) if (probabilities[row * classes + k]! > probabilities[row * classes + best]!) best = k
    out.push(labels?.[best] ?? String(best))
  }
  return out
}

async function runBatch(runner: ModelRunner, batch: FeedBatch): Promise<Outputs> {
  try {
    return await runner.run(batch.feeds)
  } catch (error) {
    throw new StepError(`The model could not score the dataset: ${(error as Error).message}`)
  }
}

/** The output called `name`, else the first float output of `rank` dimensions. */
function scoresOutput(result: Outputs, name: string, rank: number): TensorData {
  const named = result[name]
  if (named) return named
  const standIn = Object.values(result).find((t) => (t.type === 'float32' || t.type === 'float64') && t.dims.length <= rank)
  if (!standIn) throw new StepError(`The model has no "${name}" output, nor another float output to read; it gives ${Object.keys(result).map((k) => JSON.stringify(k)).join(', ')}.`)
  return standIn
}

function concat(parts: Float32Array[]): Float32Array {
  const out = new Float32Array(parts.reduce((n, p) => n + p.length, 0))
  let at = 0
  for (const part of parts) {
    out.set(part, at)
    at += part.length
  }
  return out
}

export interface Latency {
  batch: number
  p50_ms_per_row: number
  p95_ms_per_row: number
  runs: number
}

/** Times `runs` calls at each batch size on rows of `sample` (one batch of at least 32 rows). */
export async function measureLatency(runner: ModelRunner, sample: FeedBatch, runs = 30): Promise<Latency[]> {
  const available = sample.truth.length
  const out: Latency[] = []
  for (const batch of [1, 32]) {
    if (available < batch) continue
    const feeds = sliceFeeds(sample.feeds, batch)
    await runner.run(feeds) // warm-up
    const times: number[] = []
    for (let i = 0; i < runs; i++) {
      const started = performance.now()
      await runner.run(feeds)
      times.push((performance.now() - started) / batch)
    }
    times.sort((a, b) => a - b)
    out.push({ batch, p50_ms_per_row: times[Math.floor(runs * 0.5)]!, p95_ms_per_row: times[Math.min(runs - 1, Math.floor(runs * 0.95))]!, runs })
  }
  return out
}

function sliceFeeds(feeds: Record<string, FeedTensor>, rows: number): Record<string, FeedTensor> {
  const out: Record<string, FeedTensor> = {}
  for (const [name, t] of Object.entries(feeds)) {
    const perRow = t.dims.slice(1).reduce((a, b) => a * b, 1)
    out[name] = { type: t.type, data: t.data.slice(0, rows * perRow) as FeedTensor['data'], dims: [rows, ...t.dims.slice(1)] }
  }
  return out
}
