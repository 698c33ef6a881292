import { describe, expect, it } from 'vitest'
import { canRedo, canUndo, checkpoint, foldWindowMs, historyLimit, record, redo, replace, startHistory, undo } from './history'

describe('undo/redo history', () => {
  it('walks back and forth through a sequence of edits', () => {
    let h = startHistory('a')
    h = record(h, 'b')
    h = record(h, 'c')
    h = record(h, 'd')
    h = undo(h)
    h = undo(h)
    expect(h.present).toBe('b')
    h = redo(h)
    expect(h.present).toBe('c')
    h = undo(undo(undo(h)))
    expect(h.present).toBe('a')
    expect(canUndo(h)).toBe(false)
    expect(undo(h)).toBe(h)
    h = redo(redo(redo(h)))
    expect(h.present).toBe('d')
    expect(canRedo(h)).toBe(false)
    expect(redo(h)).toBe(h)
  })

  it('drops the redo branch when a new edit is made after an undo', () => {
    let h = record(record(startHistory(1), 2), 3)
    h = record(undo(h), 4)
    expect(h.present).toBe(4)
    expect(canRedo(h)).toBe(false)
    expect(undo(h).present).toBe(2)
  })

  it('folds a stream of edits to one field into a single undo step', () => {
    let h = startHistory('')
    for (const [i, text] of ['r', 'ru', 'rul', 'rule'].entries()) h = record(h, text, { key: 'config:check:rules.0.column', at: 1000 + i * 100 })
    expect(h.present).toBe('rule')
    expect(undo(h).present).toBe('')
  })

  it('keeps edits apart when they touch different fields or pause longer than the fold window', () => {
    let h = startHistory('x')
    h = record(h, 'x1', { key: 'a', at: 0 })
    h = record(h, 'x2', { key: 'b', at: 10 })
    h = record(h, 'x3', { key: 'b', at: 10 + foldWindowMs + 1 })
    expect(undo(h).present).toBe('x2')
    expect(undo(undo(h)).present).toBe('x1')
  })

  it('records a whole drag as one step, whatever it passed through', () => {
    const before = { x: 0 }
    let h = startHistory(before)
    for (let x = 1; x <= 30; x++) h = replace(h, { x })
    h = checkpoint(h, before)
    expect(h.past).toEqual([before])
    expect(undo(h).present).toBe(before)
    expect(redo(undo(h)).present).toEqual({ x: 30 })
  })

  it('does not record a no-op: the same document, or a drag that went nowhere', () => {
    const h = startHistory({ n: 1 })
    expect(record(h, h.present)).toBe(h)
    expect(checkpoint(h, h.present)).toBe(h)
  })

  it(`keeps at most ${historyLimit} steps`, () => {
    let h = startHistory(0)
    for (let i = 1; i <= historyLimit + 50; i++) h = record(h, i)
    expect(h.past).toHaveLength(historyLimit)
    expect(h.past[0]).toBe(50)
  })
})
