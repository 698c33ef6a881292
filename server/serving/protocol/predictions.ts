// A model's outputs as the records API answers them, read as evaluate reads them (score.ts): a
// Pipewright model names them `label`, `probabilities` and `prediction`; an imported one may not,
// so the first float output of the right rank stands in, and the class is the most probable label.
import { modelOutputs, type ModelMetadata } from '@/nodes/_lib/models/metadata'
import type { Outputs, TensorData } from '@/nodes/_lib/models/session-thread/session-thread'

export type Prediction = { label: string; scores: Record<string, number | null> } | { value: number | null }

/** The model answered something the records API cannot read: the model's fault, not the client's. */
export class ModelOutputError extends Error {
  override name = 'ModelOutputError'
}

/** One prediction per row of a feed group, in the group's order. */
export function encodePredictions(outputs: Outputs, metadata: Pick<ModelMetadata, 'task' | 'labels'>, rows: readonly number[]): Prediction[] {
  return metadata.task === 'classification' ? classifications(outputs, metadata.labels, rows.length) : regressions(outputs, rows.length)
}

function classifications(outputs: Outputs, labels: readonly string[] | undefined, count: number): Prediction[] {
  const probabilities = readOutput(outputs, modelOutputs.probabilities, 2)
  const values = numbers(probabilities)
  const classes = probabilities.dims.length === 2 ? probabilities.dims[1]! : 1
  if (values.length !== count * classes) throw new ModelOutputError(`the model's "${modelOutputs.probabilities}" output has ${values.length} values for ${count} rows of ${classes} classes`)
  const names = Array.from({ length: classes }, (_, k) => labels?.[k] ?? String(k))
  const own = outputs[modelOutputs.label]
  const predictions: Prediction[] = []
  for (let row = 0; row < count; row++) {
    const scores = values.slice(row * classes, (row + 1) * classes)
    const label = own ? String((own.data as ArrayLike<unknown>)[row]) : names[mostProbable(scores)]!
    // fromEntries defines each key, so a class called "__proto__" is a score like any other
    predictions.push({ label, scores: Object.fromEntries(names.map((name, k) => [name, finiteOrNull(scores[k]!)])) })
  }
  return predictions
}

function regressions(outputs: Outputs, count: number): Prediction[] {
  const prediction = readOutput(outputs, modelOutputs.prediction, 2)
  const values = numbers(prediction)
  if (values.length !== count) throw new ModelOutputError(`the model's "${modelOutputs.prediction}" output has ${values.length} values for ${count} rows`)
  return values.map((value) => ({ value: finiteOrNull(value) }))
}

function mostProbable(scores: readonly number[]): number {
  let best = 0
  for (let k = 1; k < scores.length; k++) if (scores[k]! > scores[best]!) best = k
  return best
}

function readOutput(outputs: Outputs, name: string, rank: number): TensorData {
  const named = outputs[name]
  if (named) return named
  const standIn = Object.values(outputs).find((t) => (t.type === 'float32' || t.type === 'float64') && t.dims.length <= rank)
  if (!standIn) throw new ModelOutputError(`the model has no "${name}" output, nor another float output to read; it gives ${Object.keys(outputs).map((k) => JSON.stringify(k)).join(', ')}`)
  return standIn
}

function numbers(tensor: TensorData): number[] {
  return Array.from(tensor.data as ArrayLike<number | bigint>, Number)
}

function finiteOrNull(value: number): number | null {
  return Number.isFinite(value) ? value : null
}

/** The predictions of every group, back in the order of the request's records. */
export function inRecordOrder(parts: readonly { rows: readonly number[]; predictions: readonly Prediction[] }[]): Prediction[] {
  const out: Prediction[] = []
  for (const part of parts) part.rows.forEach((row, i) => (out[row] = part.predictions[i]!))
  return out
}
