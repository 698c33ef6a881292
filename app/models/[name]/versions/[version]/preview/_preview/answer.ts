// A model's outputs read as an answer a person can compare: the predicted label and every
// class's score for classification, the value for regression; and the latency numbers. Pure.
import { modelOutputs, type ModelMetadata } from '@/nodes/_lib/models/metadata'

/** One output as onnxruntime gives it back, reduced to plain data. */
export interface OutputTensor {
  type: string
  data: ArrayLike<number | bigint | string | boolean>
  dims: readonly number[]
}

export interface Answer {
  label: string | null
  /** by class name (or index, when the version names no labels) */
  scores: Record<string, number> | null
  value: number | null
}

function floatOutput(output: OutputTensor | undefined): number[] | null {
  if (!output || (output.type !== 'float32' && output.type !== 'float64')) return null
  return Array.from(output.data as ArrayLike<number>, Number)
}

/** The class scores: `probabilities` when present, else the first float output with K > 1 columns. */
function scoreOutput(outputs: Record<string, OutputTensor>): number[] | null {
  const named = floatOutput(outputs[modelOutputs.probabilities])
  if (named) return named
  for (const output of Object.values(outputs)) {
    if (output.dims.length === 2 && (output.dims[1] ?? 0) > 1) {
      const values = floatOutput(output)
      if (values) return values
    }
  }
  return null
}

export function answerOf(metadata: ModelMetadata, outputs: Record<string, OutputTensor>): Answer {
  if (metadata.task === 'regression') {
    const values = floatOutput(outputs[modelOutputs.prediction]) ?? Object.values(outputs).map(floatOutput).find((v) => v !== null) ?? null
    return { label: null, scores: null, value: values?.[0] ?? null }
  }
  const probabilities = scoreOutput(outputs)
  const names = metadata.labels
  const scores = probabilities ? Object.fromEntries(probabilities.map((p, i) => [names?.[i] ?? String(i), p])) : null
  const labelOutput = outputs[modelOutputs.label]
  const label = labelOutput && labelOutput.data.length > 0 ? String(labelOutput.data[0]) : scores ? bestLabel(scores) : null
  return { label, scores, value: null }
}

function bestLabel(scores: Record<string, number>): string | null {
  let best: string | null = null
  for (const [label, score] of Object.entries(scores)) if (best === null || score > scores[best]!) best = label
  return best
}

/** The k best classes, best first (k at most 5). */
export function topScores(scores: Record<string, number>, k = 5): { label: string; score: number }[] {
  return Object.entries(scores)
    .map(([label, score]) => ({ label, score }))
    .sort((a, b) => b.score - a.score)
    .slice(0, Math.max(1, Math.min(5, k)))
}

/** The middle of the timings (the mean of the middle two for an even count). */
export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN
  const sorted = [...values].sort((a, b) => a - b)
  const middle = Math.floor(sorted.length / 2)
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2
}

export function formatMs(ms: number): string {
  if (!Number.isFinite(ms)) return '–'
  return ms < 10 ? `${ms.toFixed(2)} ms` : ms < 1000 ? `${ms.toFixed(1)} ms` : `${(ms / 1000).toFixed(2)} s`
}
