import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import {
  canarySide,
  pause,
  promote,
  resume,
  rollBack,
  rolloutRequestSchema,
  route,
  routingStateSchema,
  setCanaryWeight,
  startRollout,
  stickyBucket,
  type RoutingState,
} from './routing'

/** mulberry32: a small seeded generator, so a share measured once is measured the same every run */
function seeded(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

const salt = 'deployment-7'
const canary = (weight: number): RoutingState => ({ stable: { version: 3 }, challenger: { version: 4, strategy: 'canary', weight } })

function firstIssue(body: unknown): string | undefined {
  const result = rolloutRequestSchema.safeParse(body)
  return result.success ? undefined : `${result.error.issues[0]!.path.join('.')}: ${result.error.issues[0]!.message}`
}

describe('a canary', () => {
  it('sends 10% ± 3% of 2,000 requests without keys to the challenger', () => {
    const random = seeded(42)
    let toChallenger = 0
    for (let i = 0; i < 2000; i++) if (route(canary(10), { salt, random }).answer === 4) toChallenger++
    expect(toChallenger / 2000).toBeGreaterThan(0.07)
    expect(toChallenger / 2000).toBeLessThan(0.13)
  })

  it('sends about 10% of 2,000 different callers to the challenger, too', () => {
    let toChallenger = 0
    for (let i = 0; i < 2000; i++) if (route(canary(10), { salt, key: `user-${i}` }).answer === 4) toChallenger++
    expect(toChallenger / 2000).toBeGreaterThan(0.07)
    expect(toChallenger / 2000).toBeLessThan(0.13)
  })

  it('answers one caller with one version over 1,000 calls, whatever the random draw says', () => {
    const random = seeded(7)
    for (const key of ['alice', 'bob', 'device 0042', 'ünïcode 🐕', 'x'.repeat(256)]) {
      const first = route(canary(30), { salt, key, random }).answer
      for (let i = 0; i < 1000; i++) expect(route(canary(30), { salt, key, random }).answer).toBe(first)
    }
  })

  it('buckets a caller independently in each deployment', () => {
    const keys = Array.from({ length: 200 }, (_, i) => `user-${i}`)
    const same = keys.filter((key) => stickyBucket('deployment-a', key) === stickyBucket('deployment-b', key))
    expect(same.length).toBeLessThan(5)
  })

  it('moves nobody back to stable when the weight rises from 10 to 50', () => {
    const keys = Array.from({ length: 5000 }, (_, i) => `user-${i}`)
    const on10 = keys.filter((key) => route(canary(10), { salt, key }).answer === 4)
    expect(on10.every((key) => route(canary(50), { salt, key }).answer === 4)).toBe(true)
  })

  it('never moves a caller back to stable as the weight rises, for any key, salt and weights', () => {
    const weight = fc.integer({ min: 0, max: 10_000 }).map((w) => w / 100)
    fc.assert(
      fc.property(fc.string(), fc.string({ minLength: 1 }), weight, weight, (saltText, key, a, b) => {
        const [low, high] = a <= b ? [a, b] : [b, a]
        if (canarySide(low, { salt: saltText, key }) === 'challenger') expect(canarySide(high, { salt: saltText, key })).toBe('challenger')
      }),
      { numRuns: 2000 },
    )
  })

  it('answers everything on stable at 0% and everything on the challenger at 100%', () => {
    const random = seeded(1)
    for (let i = 0; i < 200; i++) {
      expect(route(canary(0), { salt, random }).answer).toBe(3)
      expect(route(canary(100), { salt, random, key: `k${i}` }).answer).toBe(4)
    }
  })
})

describe('shadow and blue-green', () => {
  it('shadow: stable answers every request and the challenger runs beside it', () => {
    const state: RoutingState = { stable: { version: 3 }, challenger: { version: 5, strategy: 'shadow' } }
    for (let i = 0; i < 100; i++) expect(route(state, { salt, key: `u${i}` })).toEqual({ answer: 3, shadow: 5 })
  })

  it('blue-green: stable answers everything until the switch, then the new version does', () => {
    let state: RoutingState = startRollout({ stable: { version: 3 } }, { version: 6, strategy: 'blue-green' })
    const random = seeded(3)
    for (let i = 0; i < 100; i++) expect(route(state, { salt, random })).toEqual({ answer: 3 })
    state = promote(state)
    expect(state).toEqual({ stable: { version: 6 } })
    for (let i = 0; i < 100; i++) expect(route(state, { salt, random })).toEqual({ answer: 6 })
  })

  it('no rollout: stable answers alone', () => {
    expect(route({ stable: { version: 1 } }, { salt })).toEqual({ answer: 1 })
  })
})

describe('a paused rollout', () => {
  it('keeps its traffic split, the same callers on the same side', () => {
    const running = canary(20)
    const paused = pause(running)
    for (let i = 0; i < 500; i++) {
      const key = `user-${i}`
      expect(route(paused, { salt, key })).toEqual(route(running, { salt, key }))
    }
  })

  it('refuses a new weight, a promotion and a new rollout, but always rolls back', () => {
    const paused = pause(canary(20))
    expect(() => setCanaryWeight(paused, 50)).toThrow(/paused.*resume it first/)
    expect(() => promote(paused)).toThrow(/paused/)
    expect(() => startRollout(paused, { version: 9, strategy: 'shadow' })).toThrow(/paused/)
    expect(rollBack(paused)).toEqual({ stable: { version: 3 } })
    expect(setCanaryWeight(resume(paused), 50).challenger).toEqual({ version: 4, strategy: 'canary', weight: 50 })
  })
})

describe('rollout changes', () => {
  it('starts a canary at its first weight and refuses a second rollout beside it', () => {
    const state = startRollout({ stable: { version: 3 } }, rolloutRequestSchema.parse({ version: 4, strategy: 'canary', weight: 10 }))
    expect(state).toEqual(canary(10))
    expect(() => startRollout(state, { version: 5, strategy: 'shadow' })).toThrow(/Version 4 is already rolling out \(canary\)/)
    expect(() => startRollout({ stable: { version: 3 } }, { version: 3, strategy: 'shadow' })).toThrow(/already the stable version/)
  })

  it('refuses a weight on a rollout that has none, and a weight out of range', () => {
    expect(() => setCanaryWeight({ stable: { version: 1 }, challenger: { version: 2, strategy: 'shadow' } }, 20)).toThrow(/shadow, which has no weight/)
    expect(() => setCanaryWeight({ stable: { version: 1 } }, 20)).toThrow(/No rollout is running/)
    expect(() => setCanaryWeight(canary(10), 101)).toThrow(/must be at most 100/)
    expect(() => setCanaryWeight(canary(10), Number.NaN)).toThrow(/percentage/)
  })

  it('rolls back in one step and promotes in one step', () => {
    expect(rollBack(canary(40))).toEqual({ stable: { version: 3 } })
    expect(promote(canary(40))).toEqual({ stable: { version: 4 } })
    expect(() => promote({ stable: { version: 3 } })).toThrow(/nothing to promote/)
  })
})

describe('the rollout request body', () => {
  it('accepts the three strategies', () => {
    expect(rolloutRequestSchema.parse({ version: 2, strategy: 'canary', weight: 12.5 })).toEqual({ version: 2, strategy: 'canary', weight: 12.5 })
    expect(rolloutRequestSchema.parse({ version: 2, strategy: 'shadow' })).toEqual({ version: 2, strategy: 'shadow' })
    expect(rolloutRequestSchema.parse({ version: 2, strategy: 'blue-green' })).toEqual({ version: 2, strategy: 'blue-green' })
  })

  it('refuses bad bodies, saying what is wrong', () => {
    expect(firstIssue({ version: 2, strategy: 'canary' })).toMatch(/^weight: a canary needs a weight.*1 to 99/)
    expect(firstIssue({ version: 2, strategy: 'canary', weight: 0 })).toBe('weight: must be at least 1')
    expect(firstIssue({ version: 2, strategy: 'canary', weight: 100 })).toBe('weight: must be at most 99')
    expect(firstIssue({ version: 2, strategy: 'canary', weight: '10' })).toBe('weight: must be a percentage (a number)')
    expect(firstIssue({ version: 2, strategy: 'canary', weight: 10.125 })).toBe('weight: must have at most two decimals')
    expect(firstIssue({ version: 2, strategy: 'shadow', weight: 10 })).toMatch(/^weight: a shadow rollout takes no weight/)
    expect(firstIssue({ version: 2, strategy: 'blue-green', weight: 10 })).toMatch(/^weight: a blue-green rollout takes no weight/)
    expect(firstIssue({ version: 2, strategy: 'linear' })).toBe('strategy: must be one of canary, shadow, blue-green')
    expect(firstIssue({ version: 1.5, strategy: 'shadow' })).toBe('version: must be a whole number')
    expect(firstIssue({ version: 0, strategy: 'shadow' })).toBe('version: must be 1 or more')
    expect(firstIssue({ strategy: 'shadow' })).toBe('version: must be a model version number')
    expect(firstIssue({ version: 2, strategy: 'shadow', wieght: 3 })).toMatch(/Unrecognized key: "wieght"/)
  })
})

describe('the stored state', () => {
  it('accepts what the changes produce and refuses a challenger equal to stable', () => {
    expect(routingStateSchema.parse(pause(canary(25)))).toEqual({ ...canary(25), paused: true })
    expect(routingStateSchema.safeParse({ stable: { version: 3 }, challenger: { version: 3, strategy: 'shadow' } }).error?.issues[0]?.message).toBe(
      'the challenger must be another version than stable',
    )
    expect(routingStateSchema.safeParse({ stable: { version: 3 }, challenger: { version: 4, strategy: 'canary' } }).success).toBe(false)
  })
})
