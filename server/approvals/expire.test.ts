import { describe, expect, it } from 'vitest'
import { expiredMessage, waitedFor } from './expire'

const createdAt = new Date('2026-12-01T09:00:00.000Z')
const request = { target: 'server', deployment: 'penguin-api', strategy: 'canary', weight: 30, model: { name: 'penguins', version: 3 } }

describe('an expired approval', () => {
  it('says what nobody decided on, for how long, and what to do', () => {
    const expiresAt = new Date(createdAt.getTime() + 72 * 3_600_000)
    expect(expiredMessage({ createdAt, expiresAt, outputs: { deployment: { type: 'deployment', value: request } } })).toBe(
      'Nobody approved or rejected the rollout of model "penguins" version 3 to "penguin-api" within 72 h (the approval expired at 2026-12-04T09:00:00.000Z); run the pipeline again to ask again, with a longer approvalTimeoutHours if needed.',
    )
  })

  it('names the wait as asked, however short, and a change it cannot read in general words', () => {
    expect(waitedFor({ createdAt, expiresAt: new Date(createdAt.getTime() + 3600) })).toBe('3.6 s')
    expect(waitedFor({ createdAt, expiresAt: new Date(createdAt.getTime() + 90 * 60_000) })).toBe('1.5 h')
    const expiresAt = new Date(createdAt.getTime() + 3_600_000)
    expect(expiredMessage({ createdAt, expiresAt, outputs: { report: { type: 'report', value: { ok: true } } } })).toMatch(/^Nobody approved or rejected this step's change within 1 h /)
  })
})
