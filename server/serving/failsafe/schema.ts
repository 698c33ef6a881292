// The fail-safe's configuration: when a deployment stops trusting its model (low confidence, inputs
// outside the training range, a model error or timeout) and what answers instead (a fixed label or
// value, plain rules over the raw features, or a refusal that hands the request to a person).
// Checked here for shape; `checkFailsafe` checks it against the model it guards.
import { z } from 'zod'
import { text } from '@/server/validation/text'

export const comparisonOps = ['<', '<=', '>', '>=', '==', '!='] as const
export type ComparisonOp = (typeof comparisonOps)[number]

const orderingOps: readonly ComparisonOp[] = ['<', '<=', '>', '>=']

/** Longest label, as model metadata allows for class names. */
export const maxLabelLength = 1000
export const maxMessageLength = 500
export const maxRules = 100

const label = text({ min: 1, max: maxLabelLength })
const value = z.number({ error: 'must be a number' })
// feature names are matched exactly, so white space around them is kept, never trimmed
const featureName = text({ min: 1, max: 256, trim: false })
const message = text({ min: 1, max: maxMessageLength })

/** `{ label }` for classification, `{ value }` for regression: exactly one of them. */
export const answerSchema = z
  .strictObject({ label: label.optional(), value: value.optional() })
  .superRefine((answer, context) => {
    if (answer.label === undefined && answer.value === undefined) {
      context.addIssue({ code: 'custom', message: 'an answer needs a label (classification) or a value (regression)' })
    }
    if (answer.label !== undefined && answer.value !== undefined) {
      context.addIssue({ code: 'custom', message: 'an answer has a label or a value, not both' })
    }
  })
export type AnswerConfig = z.infer<typeof answerSchema>

/** What answers when no rule matches: a label, a value, or a person. */
export const otherwiseSchema = z
  .strictObject({ label: label.optional(), value: value.optional(), needsHuman: z.literal(true, { error: 'needsHuman can only be true' }).optional(), message: message.optional() })
  .superRefine((otherwise, context) => {
    const given = [otherwise.label !== undefined, otherwise.value !== undefined, otherwise.needsHuman === true].filter(Boolean).length
    if (given === 0) context.addIssue({ code: 'custom', message: 'otherwise needs a label, a value, or needsHuman: true' })
    if (given > 1) context.addIssue({ code: 'custom', message: 'otherwise takes one of label, value or needsHuman, not several' })
    if (otherwise.message !== undefined && otherwise.needsHuman !== true) {
      context.addIssue({ code: 'custom', path: ['message'], message: 'a message goes with needsHuman: true only' })
    }
  })
export type OtherwiseConfig = z.infer<typeof otherwiseSchema>

/** One comparison of a raw feature with a constant: numbers with any op, text with == and != only. */
export const conditionSchema = z
  .strictObject({
    feature: featureName,
    op: z.enum(comparisonOps, { error: `must be one of ${comparisonOps.join(' ')}` }),
    value: z.union([value, text({ max: maxLabelLength, trim: false })], { error: 'must be a number or a text' }),
  })
  .superRefine((condition, context) => {
    if (typeof condition.value === 'string' && orderingOps.includes(condition.op)) {
      context.addIssue({ code: 'custom', path: ['op'], message: `compares with a text, so it must be == or != (got ${condition.op}); compare a number with < <= > >=` })
    }
  })
export type Condition = z.infer<typeof conditionSchema>

export const ruleSchema = z.strictObject({ when: conditionSchema, answer: answerSchema })
export type Rule = z.infer<typeof ruleSchema>

export const failsafeActionTypes = ['label', 'value', 'rules', 'refuse'] as const

export const failsafeActionSchema = z.discriminatedUnion(
  'type',
  [
    z.strictObject({ type: z.literal('label'), label }),
    z.strictObject({ type: z.literal('value'), value }),
    z.strictObject({
      type: z.literal('rules'),
      rules: z.array(ruleSchema, { error: 'must be a list of rules' }).min(1, 'must have at least one rule').max(maxRules, `must have at most ${maxRules} rules`),
      otherwise: otherwiseSchema,
    }),
    z.strictObject({ type: z.literal('refuse'), message: message.optional() }),
  ],
  { error: `type must be one of ${failsafeActionTypes.join(', ')}` },
)
export type FailsafeAction = z.infer<typeof failsafeActionSchema>

export const failsafeSchema = z.strictObject({
  /** classification: the top class probability below this fires the fail-safe */
  minConfidence: z.number({ error: 'must be a number from 0 to 1' }).min(0, 'must be from 0 to 1').max(1, 'must be from 0 to 1').optional(),
  /** present: inputs outside the training data fire the fail-safe */
  outOfRange: z
    .strictObject({
      /** how far beyond the training min and max a number may go, as a fraction of max − min */
      tolerance: z.number({ error: 'must be a number' }).min(0, 'must not be negative').max(10, 'must be at most 10 (ten times the training range)').default(0),
      /** a category value the model was not trained on counts as out of range too */
      unknownCategories: z.boolean({ error: 'must be true or false' }).default(true),
    })
    .optional(),
  /** a model error or timeout gets the fail-safe's answer instead of a failed request */
  onModelError: z.boolean({ error: 'must be true or false' }).default(true),
  action: failsafeActionSchema,
})
/** A checked configuration, defaults filled in: what `evaluateFailsafe` takes. */
export type FailsafeConfig = z.infer<typeof failsafeSchema>
/** What a client sends (defaults may be left out). */
export type FailsafeConfigInput = z.input<typeof failsafeSchema>
