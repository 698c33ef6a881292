// "Compare with the server": the deployment's answer for the same record, checked against the
// browser's. The largest absolute difference of the scores is the number an operator reads to
// trust the preview (onnxruntime-web and -node agree within 1e-5 on Pipewright's models). Pure.
import { z } from 'zod'
import type { Answer } from './answer'

/** `POST /api/v1/deployments/{name}/predict` answers `{ modelVersion, predictions: [...] }`. */
export const serverAnswerSchema = z.object({
  modelVersion: z.union([z.number(), z.string()]).optional(),
  predictions: z
    .array(
      z.object({
        label: z.string().nullable().optional(),
        scores: z.record(z.string(), z.number()).nullable().optional(),
        value: z.number().nullable().optional(),
        fallback: z.unknown().optional(),
      }),
    )
    .min(1, 'the server answered no prediction'),
})
export type ServerAnswer = z.infer<typeof serverAnswerSchema>
export type ServerPrediction = ServerAnswer['predictions'][number]

export interface LabelDifference {
  label: string
  browser: number | null
  server: number | null
  /** |browser − server|, or null when one side has no score for the label */
  difference: number | null
}

export interface Comparison {
  /** the largest |difference| over the scores (and the value, for regression); null when nothing is comparable */
  largest: number | null
  perLabel: LabelDifference[]
  /** both predicted the same label (null when either predicted none) */
  sameLabel: boolean | null
  valueDifference: number | null
  /** labels only one side scored */
  unmatched: string[]
}

export function compareAnswers(browser: Answer, server: ServerPrediction): Comparison {
  const ours = browser.scores ?? {}
  const theirs = server.scores ?? {}
  const labels = [...new Set([...Object.keys(ours), ...Object.keys(theirs)])]
  const perLabel = labels.map((label): LabelDifference => {
    const b = ours[label] ?? null
    const s = theirs[label] ?? null
    return { label, browser: b, server: s, difference: b === null || s === null ? null : Math.abs(b - s) }
  })
  const valueDifference = browser.value !== null && typeof server.value === 'number' ? Math.abs(browser.value - server.value) : null
  const differences = [...perLabel.map((d) => d.difference), valueDifference].filter((d): d is number => d !== null)
  const serverLabel = server.label ?? null
  return {
    largest: differences.length > 0 ? Math.max(...differences) : null,
    perLabel,
    sameLabel: browser.label !== null && serverLabel !== null ? browser.label === serverLabel : null,
    valueDifference,
    unmatched: perLabel.filter((d) => d.difference === null).map((d) => d.label),
  }
}
