// Which model version answers a request of a deployment: a pure decision over the deployment's
// rollout state, so the HTTP layer, the load tests and the property tests all ask the same function.
//
// Semantics, after Argo Rollouts (and Flagger where Argo is silent):
// - canary: `weight`% of requests go to the challenger, the rest to stable. With a request key the
//   choice is sticky: sha256(salt, key) picks a bucket 0…9999 and the challenger answers when the
//   bucket is below weight×100, so one caller sees one version while the weight stays, and raising
//   the weight only moves callers from stable to the challenger, never back. Without a key each
//   request draws a fresh random number.
// - shadow (Flagger's traffic mirroring): stable answers every request; the challenger runs on a
//   copy of each request too (`shadow`), and its answer is logged, never returned.
// - blue-green (Argo's active and preview services): the challenger is the preview, deployed and
//   warm but given no production traffic; `promote` switches every request to it at once, which is
//   just `stable` changing. Reaching the preview before the switch is the caller's business
//   (ask for its version explicitly), not routing's.
// - paused (Argo's pause): the rollout is frozen where it stands. Traffic keeps its current split
//   (a 10% canary keeps answering 10%), and nothing may change it: no new weight, no promotion, no
//   new rollout. Rolling back is always allowed: a way back must never be locked (Argo's abort).
import { createHash } from 'node:crypto'
import { z } from 'zod'
import { ConflictError } from '@/server/errors'
import { text } from '@/server/validation/text'

export const rolloutStrategies = ['canary', 'shadow', 'blue-green'] as const
export type RolloutStrategy = (typeof rolloutStrategies)[number]

/** Buckets a sticky key falls into; a weight is compared at 0.01% resolution. */
export const routingBuckets = 10_000

const modelVersion = z.number({ error: 'must be a model version number' }).int('must be a whole number').positive('must be 1 or more')

/** A traffic share in percent with at most two decimals (0.25% is a bucket count of 25). */
function percent(min: number, max: number) {
  return z
    .number({ error: 'must be a percentage (a number)' })
    .min(min, `must be at least ${min}`)
    .max(max, `must be at most ${max}`)
    .refine((weight) => Math.abs(Math.round(weight * 100) - weight * 100) < 1e-6, 'must have at most two decimals')
}

const strategyEnum = z.enum(rolloutStrategies, { error: `must be one of ${rolloutStrategies.join(', ')}` })

/** The challenger as stored: a canary carries its current share; shadow and blue-green carry none. */
export const challengerSchema = z.discriminatedUnion(
  'strategy',
  [
    z.strictObject({ version: modelVersion, strategy: z.literal('canary'), weight: percent(0, 100) }),
    z.strictObject({ version: modelVersion, strategy: z.literal('shadow') }),
    z.strictObject({ version: modelVersion, strategy: z.literal('blue-green') }),
  ],
  { error: `strategy must be one of ${rolloutStrategies.join(', ')}` },
)
export type Challenger = z.infer<typeof challengerSchema>

export const routingStateSchema = z
  .strictObject({
    stable: z.strictObject({ version: modelVersion }),
    challenger: challengerSchema.optional(),
    paused: z.boolean().optional(),
  })
  .refine((s) => s.challenger === undefined || s.challenger.version !== s.stable.version, {
    message: 'the challenger must be another version than stable',
    path: ['challenger', 'version'],
  })
export type RoutingState = z.infer<typeof routingStateSchema>

/**
 * What an operator sends to start a rollout. A canary needs its first share, 1…99% (0 would send
 * nothing, 100 is a promotion); shadow and blue-green take no share, and saying one is refused
 * rather than ignored so nobody believes a shadow gets 10%.
 */
export const rolloutRequestSchema = z
  .strictObject({
    version: modelVersion,
    strategy: strategyEnum,
    weight: percent(1, 99).optional(),
  })
  .superRefine((request, context) => {
    if (request.strategy === 'canary' && request.weight === undefined) {
      context.addIssue({ code: 'custom', path: ['weight'], message: 'a canary needs a weight: the percentage of requests the new version answers, 1 to 99' })
    }
    if (request.strategy !== 'canary' && request.weight !== undefined) {
      context.addIssue({
        code: 'custom',
        path: ['weight'],
        message: `a ${request.strategy} rollout takes no weight (${request.strategy === 'shadow' ? 'the new version sees a copy of every request' : 'the new version takes all requests once promoted'}); weight is for canary only`,
      })
    }
  })
export type RolloutRequest = z.infer<typeof rolloutRequestSchema>

/** A request key as a caller may send it (a user or device id): checked text, bounded. */
export const routingKeySchema = text({ min: 1, max: 256, trim: false })

export interface RouteOptions {
  /** the deployment's salt (its id): keys bucket independently per deployment */
  salt: string
  /** the caller's sticky key; absent or empty means a fresh draw per request */
  key?: string
  /** uniform in [0, 1); Math.random unless a test seeds one */
  random?: () => number
}

export interface RouteDecision {
  /** the version whose answer the caller gets */
  answer: number
  /** a version that also runs on the request, its answer logged and never returned */
  shadow?: number
}

export type Side = 'stable' | 'challenger'

/** Which version answers this request, and which (if any) runs beside it in the shadow. */
export function route(state: RoutingState, options: RouteOptions): RouteDecision {
  const stable = state.stable.version
  const challenger = state.challenger
  if (!challenger) return { answer: stable }
  switch (challenger.strategy) {
    case 'shadow':
      return { answer: stable, shadow: challenger.version }
    case 'blue-green':
      return { answer: stable }
    case 'canary':
      return { answer: canarySide(challenger.weight, options) === 'challenger' ? challenger.version : stable }
  }
}

/** Which side of a canary split one request falls on. */
export function canarySide(weight: number, options: RouteOptions): Side {
  const threshold = Math.round(weight * 100)
  if (threshold <= 0) return 'stable'
  if (threshold >= routingBuckets) return 'challenger'
  const bucket = options.key ? stickyBucket(options.salt, options.key) : Math.floor((options.random ?? Math.random)() * routingBuckets)
  return bucket < threshold ? 'challenger' : 'stable'
}

/** A key's bucket 0…9999 in one deployment: the first 48 bits of sha256(salt NUL key), modulo. */
export function stickyBucket(salt: string, key: string): number {
  // NUL cannot occur in checked text, so ("ab", "c") and ("a", "bc") never hash alike
  const digest = createHash('sha256').update(`${salt}\u0000${key}`).digest()
  return digest.readUIntBE(0, 6) % routingBuckets
}

// ---- changes of the rollout state: each returns the next state or refuses with a ConflictError (409)

function refuseWhenPaused(state: RoutingState, what: string): void {
  if (state.paused) throw new ConflictError(`The rollout is paused, so ${what} is not allowed; resume it first (rolling back is always allowed).`)
}

/** Starts a rollout of `request.version` beside stable. One rollout at a time. */
export function startRollout(state: RoutingState, request: RolloutRequest): RoutingState {
  refuseWhenPaused(state, 'starting a rollout')
  if (state.challenger) {
    throw new ConflictError(`Version ${state.challenger.version} is already rolling out (${state.challenger.strategy}); promote it or roll it back first.`)
  }
  if (request.version === state.stable.version) throw new ConflictError(`Version ${request.version} is already the stable version.`)
  const challenger: Challenger =
    request.strategy === 'canary'
      ? { version: request.version, strategy: 'canary', weight: request.weight ?? 0 }
      : { version: request.version, strategy: request.strategy }
  return { stable: state.stable, challenger }
}

/** Moves a canary's share (0…100). Lowering it is allowed too, though it moves callers back. */
export function setCanaryWeight(state: RoutingState, weight: number): RoutingState {
  const checked = percent(0, 100).safeParse(weight)
  if (!checked.success) throw new ConflictError(`The canary weight ${checked.error.issues[0]?.message ?? 'is not valid'}.`)
  const challenger = state.challenger
  if (challenger?.strategy !== 'canary') {
    throw new ConflictError(challenger ? `The rollout of version ${challenger.version} is ${challenger.strategy}, which has no weight.` : 'No rollout is running, so there is no canary weight to change.')
  }
  refuseWhenPaused(state, 'changing the canary weight')
  return { ...state, challenger: { ...challenger, weight: checked.data } }
}

/** The challenger becomes stable and answers everything: a canary's end, blue-green's switch. */
export function promote(state: RoutingState): RoutingState {
  if (!state.challenger) throw new ConflictError('No rollout is running, so there is nothing to promote.')
  refuseWhenPaused(state, 'promoting')
  return { stable: { version: state.challenger.version } }
}

/** Drops the challenger: every request back on stable in one step, paused or not. */
export function rollBack(state: RoutingState): RoutingState {
  if (!state.challenger) throw new ConflictError('No rollout is running, so there is nothing to roll back.')
  return { stable: state.stable }
}

/** Freezes the rollout where it stands; traffic keeps its split. */
export function pause(state: RoutingState): RoutingState {
  if (!state.challenger) throw new ConflictError('No rollout is running, so there is nothing to pause.')
  return { ...state, paused: true }
}

export function resume(state: RoutingState): RoutingState {
  if (!state.paused) throw new ConflictError('The rollout is not paused.')
  return { stable: state.stable, ...(state.challenger ? { challenger: state.challenger } : {}) }
}
