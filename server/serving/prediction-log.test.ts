import { describe, expect, it } from 'vitest'
import { loggable } from './prediction-log'

describe('what the prediction log keeps of a value', () => {
  it('keeps small values as their JSON, odd keys and text included', () => {
    const value = { 'size [cm]': 1.5, 'noise "n"': null, colour: 'grün 🎨', tags: ['a', 'b'] }
    expect(JSON.parse(loggable(value))).toEqual(value)
    expect(loggable(undefined)).toBe('null')
    expect(JSON.parse(loggable({ big: 12n }))).toEqual({ big: 12 })
  })

  it('keeps only the size of a value too big to log, without stringifying a whole image first', () => {
    const image = { name: 'image', datatype: 'UINT8', shape: [1, 48, 192, 3], data: Array.from({ length: 27_648 }, (_, i) => i % 256) }
    expect(JSON.parse(loggable(image))).toEqual({ omitted: 'more than 65536 characters' })
    expect(JSON.parse(loggable('x'.repeat(70_000)))).toEqual({ omitted: 'more than 65536 characters' })
    // a value whose lower bound fits but whose JSON does not: measured exactly
    const digits = Array.from({ length: 10_000 }, () => 123.456)
    expect(JSON.parse(loggable(digits))).toEqual({ omitted: `${JSON.stringify(digits).length} characters` })
  })
})
