import { describe, expect, it } from 'vitest'
import { labelColors, toImageItem } from './image-tile'

const id = 'a'.repeat(64)

describe('reading an image dataset row for the grid', () => {
  it('keeps a well-formed row, its boxes and its other columns', () => {
    const row = { image: id, width: 64, height: 48, label: 'scratch', boxes: [{ label: 'scratch', x: 1, y: 2, w: 3, h: 4 }], _ops: ['flip'] }
    expect(toImageItem(row)).toEqual({ image: id, width: 64, height: 48, label: 'scratch', boxes: [{ label: 'scratch', x: 1, y: 2, w: 3, h: 4 }], row })
  })

  it('skips a row whose image is not a blob id, drops malformed boxes, and draws no boxes without a size', () => {
    expect(toImageItem({ image: '../etc/passwd', label: 'x' })).toBeNull()
    expect(toImageItem({ image: null, label: 'x' })).toBeNull()
    const odd = toImageItem({ image: id, width: 10, height: 10, label: null, boxes: [{ label: 'a', x: 'left' }, null, { label: 'b', x: 0, y: 0, w: 5, h: 5 }] })
    expect(odd?.label).toBeNull()
    expect(odd?.boxes).toEqual([{ label: 'b', x: 0, y: 0, w: 5, h: 5 }])
    const unsized = toImageItem({ image: id, width: null, height: 0, label: 7, boxes: [{ label: 'b', x: 0, y: 0, w: 5, h: 5 }] })
    expect([unsized?.width, unsized?.height, unsized?.label, unsized?.boxes]).toEqual([1, 1, '7', []])
  })
})

describe('label colours', () => {
  it('gives the first ten labels ten different colours, the same one every time', () => {
    const labels = Array.from({ length: 10 }, (_, i) => `label ${i}`)
    const colorOf = labelColors([...labels, null])
    expect(new Set(labels.map(colorOf)).size).toBe(10)
    expect(colorOf('label 3')).toBe(labelColors(labels)('label 3'))
  })
})
