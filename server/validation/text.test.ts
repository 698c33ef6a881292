import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { findBadString, jsonDepthExceeds, text, textProblem } from './text'

describe('the shared text schema', () => {
  const title = text({ min: 1, max: 20 })

  it('refuses a NUL and a lone surrogate with a message a person can act on', () => {
    expect(title.safeParse('a\u0000b').error?.issues[0]?.message).toMatch(/NUL/)
    expect(title.safeParse('x\ud800y').error?.issues[0]?.message).toMatch(/lone UTF-16 surrogate/)
    expect(title.safeParse('x\udc00').error?.issues[0]?.message).toMatch(/surrogate/)
  })

  it('keeps emoji and other paired surrogates', () => {
    expect(title.parse('  Dog 🐕 [kg]  ')).toBe('Dog 🐕 [kg]')
  })

  it('trims unless told not to, and limits the length', () => {
    expect(text({ max: 5, trim: false }).parse(' a ')).toBe(' a ')
    expect(title.safeParse('x'.repeat(21)).error?.issues[0]?.message).toBe('must be at most 20 characters')
    expect(title.safeParse('   ').error?.issues[0]?.message).toBe('must not be empty')
  })

  it('agrees with PostgreSQL-safe UTF-8 on any string: well-formed and NUL-free strings pass', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (value) => {
        const encodable = !value.includes('\u0000') && Buffer.from(value, 'utf8').toString('utf8') === value
        expect(textProblem(value) === undefined).toBe(encodable)
      }),
    )
  })
})

describe('free-form JSON', () => {
  it('finds the first bad string or key with its path', () => {
    expect(findBadString({ nodes: [{ config: { note: 'ok' } }, { config: { a: ['x\u0000'] } }] })?.path).toEqual(['nodes', 1, 'config', 'a', 0])
    expect(findBadString({ ui: { ['k\ud800']: 1 } })?.message).toMatch(/^key /)
    expect(findBadString({ a: [1, true, null, 'fine'] })).toBeUndefined()
  })

  it('measures depth without walking past the limit', () => {
    let deep: unknown = 1
    for (let i = 0; i < 100; i++) deep = [deep]
    expect(jsonDepthExceeds(deep, 64)).toBe(true)
    expect(jsonDepthExceeds({ a: [{ b: 1 }] }, 64)).toBe(false)
  })
})
