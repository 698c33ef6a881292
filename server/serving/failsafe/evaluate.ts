// The fail-safe evaluated on one prediction: does a non-ML answer replace the model's, why, and
// what is it. Pure: serving calls it after each prediction (or failed prediction), the monitoring
// panels count its reasons, and the tests pin its semantics:
//
// - Order of the triggers: a model error or timeout (when onModelError), then inputs out of range,
//   then low confidence. An out-of-range input makes the model's confidence meaningless, so it is
//   named first. With onModelError false a failed prediction still gets the fallback if its input
//   was out of range; otherwise `{ fallback: false }` and the caller fails the request.
// - Out of range: numbers are read as the model reads them (`numberInput`: "3.5" is 3.5, true is
//   1). Missing values (null, absent, text that is no number) are never out of range: the graph
//   imputes them with the training mean. A number fires when it is below min − tolerance × (max −
//   min) or above max + tolerance × (max − min), the training min and max from the reference
//   profile; ±Infinity always fires. A category value the model was not trained on fires too
//   (`unknownCategories`, default true): the graph encodes it as all zeros, which is the same as
//   missing to the model, but unlike a missing value it is usually news (a new product line, a
//   typo upstream) an operator wants to hear of. The empty string is missing, as the graph reads it.
// - Low confidence: classification only; the highest class probability below minConfidence
//   fires. An outcome without scores cannot be judged and does not fire (checkFailsafe refuses
//   minConfidence for models without a probabilities output); scores that are all NaN do fire.
// - Rules: the first rule whose condition holds answers; a missing value matches no rule (as SQL
//   compares NULL), so it falls through to `otherwise`.
import type { ModelMetadata } from '@/nodes/_lib/models/metadata'
import { categoryInput, numberInput } from '@/nodes/train-handoff/onnx/tabular-preprocess'
import type { Condition, FailsafeAction, FailsafeConfig, OtherwiseConfig } from './schema'

export type ModelOutcome =
  | { scores?: Readonly<Record<string, number>>; label?: string; value?: number }
  | { error: 'model-error' | 'timeout'; message: string }

export interface FailsafeInput {
  metadata: ModelMetadata
  /** the request's raw feature values, by column name */
  record: Readonly<Record<string, unknown>>
  outcome: ModelOutcome
}

export const fallbackReasons = ['low-confidence', 'out-of-range', 'model-error', 'timeout'] as const
export type FallbackReason = (typeof fallbackReasons)[number]

export type FallbackAnswer = { label: string } | { value: number } | { needsHuman: true; message: string }

export type FailsafeDecision =
  | { fallback: false }
  | {
      fallback: true
      reason: FallbackReason
      /** in plain words, e.g. `petal length 42 is outside the training range 1–6.9` */
      detail: string
      answer: FallbackAnswer
    }

interface Trigger {
  reason: FallbackReason
  detail: string
}

const maxDetailParts = 3
const maxErrorMessage = 300

export function evaluateFailsafe(config: FailsafeConfig, input: FailsafeInput): FailsafeDecision {
  const trigger = findTrigger(config, input)
  if (!trigger) return { fallback: false }
  return { fallback: true, ...trigger, answer: answerFor(config.action, input.record, trigger.detail) }
}

function findTrigger(config: FailsafeConfig, { metadata, record, outcome }: FailsafeInput): Trigger | undefined {
  if ('error' in outcome && config.onModelError) return errorTrigger(outcome.error, outcome.message)
  if (config.outOfRange) {
    const found = outOfRange(metadata, record, config.outOfRange)
    if (found.length > 0) return { reason: 'out-of-range', detail: joinParts(found) }
  }
  if ('error' in outcome || config.minConfidence === undefined || metadata.task !== 'classification') return undefined
  return lowConfidence(outcome.scores, config.minConfidence)
}

function errorTrigger(error: 'model-error' | 'timeout', message: string): Trigger {
  const said = message.length > maxErrorMessage ? `${message.slice(0, maxErrorMessage)}…` : message
  const what = error === 'timeout' ? 'the model did not answer in time' : 'the model failed'
  return { reason: error, detail: said.trim() === '' ? what : `${what}: ${said}` }
}

/** Own properties only: a feature named "constructor" must not read Object's. */
function rawValue(record: Readonly<Record<string, unknown>>, name: string): unknown {
  return Object.hasOwn(record, name) ? record[name] : undefined
}

/** Every feature of the record outside the training data, in the model's feature order. */
export function outOfRange(
  metadata: ModelMetadata,
  record: Readonly<Record<string, unknown>>,
  options: { tolerance: number; unknownCategories: boolean },
): string[] {
  const profiles = new Map((metadata.referenceProfile ?? []).map((p) => [p.name, p]))
  const found: string[] = []
  for (const feature of metadata.features) {
    const raw = rawValue(record, feature.name)
    if (feature.kind === 'number') {
      const profile = profiles.get(feature.name)
      if (profile?.kind !== 'number' || profile.count === 0) continue
      const problem = numberOutOfRange(feature.name, numberInput(raw), profile.min, profile.max, options.tolerance)
      if (problem) found.push(problem)
    } else if (feature.kind === 'category' && options.unknownCategories && feature.categories.length > 0) {
      const value = categoryInput(raw)
      if (value !== '' && !feature.categories.includes(value)) found.push(`${feature.name} ${quoteShort(value)} is not a category the model was trained on`)
    }
  }
  return found
}

function numberOutOfRange(name: string, value: number, min: number, max: number, tolerance: number): string | undefined {
  if (Number.isNaN(value)) return undefined
  const slack = tolerance * (max - min)
  const low = min - slack
  const high = max + slack
  if (value >= low && value <= high) return undefined
  const range = `${formatNumber(min)}–${formatNumber(max)}`
  const allowed = tolerance > 0 ? ` even with ${formatNumber(tolerance * 100)}% tolerance (${formatNumber(low)}–${formatNumber(high)})` : ''
  return `${name} ${String(value)} is outside the training range ${range}${allowed}`
}

function lowConfidence(scores: Readonly<Record<string, number>> | undefined, minConfidence: number): Trigger | undefined {
  if (!scores) return undefined
  const entries = Object.entries(scores)
  if (entries.length === 0) return undefined
  let top: [string, number] | undefined
  for (const entry of entries) if (Number.isFinite(entry[1]) && (!top || entry[1] > top[1])) top = entry
  if (!top) return { reason: 'low-confidence', detail: 'the model gave no usable class scores' }
  if (top[1] >= minConfidence) return undefined
  return {
    reason: 'low-confidence',
    detail: `the model's top class ${quoteShort(top[0])} scored ${formatNumber(top[1])}, below the minimum confidence ${formatNumber(minConfidence)}`,
  }
}

function answerFor(action: FailsafeAction, record: Readonly<Record<string, unknown>>, detail: string): FallbackAnswer {
  switch (action.type) {
    case 'label':
      return { label: action.label }
    case 'value':
      return { value: action.value }
    case 'refuse':
      return { needsHuman: true, message: action.message ?? humanMessage(detail) }
    case 'rules': {
      const rule = action.rules.find((r) => conditionHolds(r.when, record))
      if (!rule) return otherwiseAnswer(action.otherwise, detail)
      // the schema lets through exactly one of label and value
      return rule.answer.label !== undefined ? { label: rule.answer.label } : { value: rule.answer.value ?? Number.NaN }
    }
  }
}

function otherwiseAnswer(otherwise: OtherwiseConfig, detail: string): FallbackAnswer {
  if (otherwise.label !== undefined) return { label: otherwise.label }
  if (otherwise.value !== undefined) return { value: otherwise.value }
  return { needsHuman: true, message: otherwise.message ?? humanMessage(detail) }
}

function humanMessage(detail: string): string {
  return `No automatic answer: ${detail}. A person needs to decide.`
}

/** Whether a rule's condition holds for the record; a missing value holds for none. */
export function conditionHolds(condition: Condition, record: Readonly<Record<string, unknown>>): boolean {
  const raw = rawValue(record, condition.feature)
  if (typeof condition.value === 'string') {
    const value = categoryInput(raw)
    if (value === '') return false
    return condition.op === '==' ? value === condition.value : condition.op === '!=' ? value !== condition.value : false
  }
  const value = numberInput(raw)
  if (Number.isNaN(value)) return false
  return compare(value, condition.op, condition.value)
}

function compare(left: number, op: Condition['op'], right: number): boolean {
  switch (op) {
    case '<':
      return left < right
    case '<=':
      return left <= right
    case '>':
      return left > right
    case '>=':
      return left >= right
    case '==':
      return left === right
    case '!=':
      return left !== right
  }
}

function joinParts(parts: readonly string[]): string {
  const shown = parts.slice(0, maxDetailParts).join('; ')
  return parts.length > maxDetailParts ? `${shown}; and ${parts.length - maxDetailParts} more` : shown
}

function quoteShort(value: string): string {
  return JSON.stringify(value.length > 80 ? `${value.slice(0, 80)}…` : value)
}

/** Enough digits to tell numbers apart in a sentence: 6.9, 0.41, 123456.79, never 0.41000000000000003. */
export function formatNumber(x: number): string {
  if (!Number.isFinite(x) || Number.isInteger(x)) return String(x)
  const whole = Math.abs(x) < 1 ? 0 : Math.floor(Math.log10(Math.abs(x))) + 1
  return String(Number(x.toPrecision(Math.min(15, whole + 3))))
}
