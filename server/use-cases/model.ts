import { z } from 'zod'
import { text } from '@/server/validation/text'

/**
 * Use cases on the product managers' board: the fields, their limits and the scoring inputs.
 * Pure and isomorphic (zod only): the REST API, tRPC, CSV import and the browser's forms all
 * validate with these same schemas.
 */

export const dataAvailabilities = ['none', 'scarce', 'dispersed', 'ready'] as const
export type DataAvailability = (typeof dataAvailabilities)[number]

/** The life cycle, in order. */
export const useCaseStatuses = ['idea', 'data', 'model', 'deployed', 'monitored', 'retired'] as const
export type UseCaseStatus = (typeof useCaseStatuses)[number]

/**
 * The status a use case shows: a use case still at idea, data or model moves to `deployed` once a
 * pipeline linked to it has a deployment (the PM's later stages, monitored and retired, stay).
 */
export function liftedStatus(status: UseCaseStatus, hasDeployment: boolean): UseCaseStatus {
  return hasDeployment && useCaseStatuses.indexOf(status) < useCaseStatuses.indexOf('deployed') ? 'deployed' : status
}

/** ISO 4217 codes accepted for cost estimates. Rankings compare costs as numbers: keep one board in one currency. */
export const currencies = ['EUR', 'USD', 'GBP', 'CHF', 'JPY', 'CNY', 'INR', 'CAD', 'AUD', 'SEK', 'NOK', 'DKK', 'PLN', 'CZK', 'BRL', 'MXN', 'ZAR', 'SGD', 'KRW'] as const
export type Currency = (typeof currencies)[number]

/** RICE's impact scale: massive 3, high 2, medium 1, low 0.5, minimal 0.25. */
export const riceImpacts = [3, 2, 1, 0.5, 0.25] as const
/** The modified Fibonacci scale WSJF uses for each of its inputs. */
export const wsjfScale = [1, 2, 3, 5, 8, 13, 20] as const

export const scoringMethods = ['default', 'rice', 'wsjf'] as const
export type ScoringMethod = (typeof scoringMethods)[number]

export const rankingStrategies = ['pain', 'quick-win'] as const
export type RankingStrategy = (typeof rankingStrategies)[number]

/** A number, with a message a PM understands when it is not one ("lots", "12k"). */
const numberField = () => z.number({ error: (issue) => (issue.input === undefined ? 'is required' : `must be a number (got ${JSON.stringify(issue.input)?.slice(0, 40)})`) })
const money = numberField().finite().nonnegative('must be 0 or more').max(1e12, 'is implausibly large')
const severity = numberField().int('must be a whole number').min(1, 'must be between 1 and 10').max(10, 'must be between 1 and 10')
const fibonacci = numberField()
  .refine((n) => (wsjfScale as readonly number[]).includes(n), `must be one of ${wsjfScale.join(', ')}`)

/** What a PM writes; everything but the title may be filled in later. */
export const useCaseFields = z.strictObject({
  title: text({ min: 1, max: 200 }),
  problem: text({ max: 5000, trim: false }).default('').describe('The problem statement: what hurts, for whom, how often'),
  businessOwner: text({ max: 200 }).default(''),
  affectedProcess: text({ max: 200 }).default(''),
  dataAvailability: z.enum(dataAvailabilities).default('none'),
  /** the PM's own estimate of the pain, 1–10; stakeholder ratings (their median) take over once there are some */
  severity: severity.nullable().default(null),
  /** one-off development cost */
  devCost: money.nullable().default(null),
  /** production (running) cost per month */
  prodCostMonthly: money.nullable().default(null),
  /** maintenance cost per year */
  maintenanceCostYearly: money.nullable().default(null),
  currency: z.enum(currencies, { error: `must be one of ${currencies.join(', ')}` }).default('EUR'),
  /** confidence in the estimates, 0–100 % */
  confidence: numberField().min(0, 'must be between 0 and 100').max(100, 'must be between 0 and 100').default(50),
  status: z.enum(useCaseStatuses).default('idea'),
  notes: text({ max: 10_000, trim: false }).default(''),
  // RICE inputs
  reach: numberField().finite().nonnegative('must be 0 or more').nullable().default(null).describe('People or events affected per quarter'),
  impact: numberField()
    .refine((n) => (riceImpacts as readonly number[]).includes(n), `must be one of ${riceImpacts.join(', ')}`)
    .nullable()
    .default(null),
  /** effort in person-months */
  effort: numberField().finite().positive('must be more than 0').nullable().default(null),
  // WSJF inputs (modified Fibonacci)
  businessValue: fibonacci.nullable().default(null),
  timeCriticality: fibonacci.nullable().default(null),
  riskReduction: fibonacci.nullable().default(null),
  jobSize: fibonacci.nullable().default(null),
})
export type UseCaseFields = z.output<typeof useCaseFields>
export type UseCaseInput = z.input<typeof useCaseFields>

/** The schema without its default: a patch must not fill in the fields it leaves out. */
function withoutDefault(schema: z.ZodType): z.ZodType {
  return schema instanceof z.ZodDefault ? (schema.unwrap() as z.ZodType) : schema
}

/** PATCH: any subset of the fields, nothing filled in; a nullable field set to null is cleared. */
export const useCasePatch = z.strictObject(
  Object.fromEntries(Object.entries(useCaseFields.shape).map(([key, schema]) => [key, withoutDefault(schema).optional()])),
) as unknown as z.ZodType<Partial<UseCaseFields>>

/** The PM overrides the rated severity; the reason is kept with the use case. */
export const severityOverride = z.strictObject({
  severity,
  reason: text({ min: 3, max: 1000, minMessage: 'say why (at least a few words)' }),
})

export const ratingInput = z.strictObject({
  severity,
  comment: text({ max: 1000, trim: false }).default(''),
})

/** The board's scoring settings (one board per installation). */
export const boardSettings = z.strictObject({
  method: z.enum(scoringMethods).default('default'),
  /** years of running and maintenance counted in the total cost of ownership */
  horizonYears: numberField().min(0.25, 'must be between 0.25 and 20 years').max(20, 'must be between 0.25 and 20 years').default(3),
  /** exponent on severity in the default quick-win score */
  painWeight: numberField().min(0, 'must be between 0 and 5').max(5, 'must be between 0 and 5').default(1),
  /** exponent on the total cost of ownership in the default quick-win score */
  costWeight: numberField().min(0, 'must be between 0 and 5').max(5, 'must be between 0 and 5').default(1),
})
export type BoardSettings = z.output<typeof boardSettings>

/** Changing the board's settings: any subset. */
export const boardSettingsPatch = boardSettings.partial()

/** How bubbles on the quadrant chart are sized. */
export const bubbleSizes = ['confidence', 'cost'] as const
export type BubbleSize = (typeof bubbleSizes)[number]

/** A PM invites someone without an account to rate severity: one use case, or all open ones. */
export const inviteInput = z.strictObject({
  raterName: text({ min: 1, max: 100 }),
  useCaseId: z.uuid('must be a use case id').nullable().default(null),
  expiresInDays: numberField().int('must be a whole number').min(1, 'must be between 1 and 90').max(90, 'must be between 1 and 90').default(14),
})

/** What a one-time link sends back: one rating per use case, at least one. */
export const inviteRatings = z.strictObject({
  ratings: z
    .array(z.strictObject({ useCaseId: z.uuid('must be a use case id'), severity, comment: text({ max: 1000, trim: false }).default('') }))
    .min(1, 'rate at least one use case')
    .max(500)
    .superRefine((ratings, ctx) => {
      const seen = new Set<string>()
      ratings.forEach(({ useCaseId }, index) => {
        if (seen.has(useCaseId)) ctx.addIssue({ code: 'custom', path: [index, 'useCaseId'], message: 'is rated twice' })
        seen.add(useCaseId)
      })
    }),
})

export const pipelineLinkInput = z.strictObject({ pipelineId: z.uuid('must be a pipeline id') })
