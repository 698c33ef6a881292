import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { defectKinds, paintDefect } from './defects'
import { cloneImage, createImage, type RawImage } from './raw-image'
import { createRng } from './rng'

function texturedImage(width: number, height: number, seed: number): RawImage {
  const image = createImage(width, height)
  const rng = createRng(seed)
  for (let i = 0; i < image.data.length; i++) image.data[i] = rng.int(0, 255)
  return image
}

function greyImage(width: number, height: number): RawImage {
  const image = createImage(width, height)
  image.data.fill(128)
  return image
}

function changedPixels(before: RawImage, after: RawImage): { x: number; y: number }[] {
  const changed: { x: number; y: number }[] = []
  for (let p = 0; p < before.width * before.height; p++) {
    const i = p * 3
    if (before.data[i] !== after.data[i] || before.data[i + 1] !== after.data[i + 1] || before.data[i + 2] !== after.data[i + 2]) {
      changed.push({ x: p % before.width, y: Math.floor(p / before.width) })
    }
  }
  return changed
}

describe('paintDefect', () => {
  it('changes pixels only inside the box it returns, and the box lies within the image', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 16, max: 200 }),
        fc.integer({ min: 16, max: 200 }),
        fc.integer({ min: 0, max: 2 ** 31 }),
        fc.constantFrom(...defectKinds),
        fc.boolean(),
        (width, height, seed, kind, textured) => {
          const before = textured ? texturedImage(width, height, seed) : greyImage(width, height)
          const after = cloneImage(before)
          const box = paintDefect(after, kind, createRng(seed))
          expect(box.label).toBe(kind)
          expect(box.x).toBeGreaterThanOrEqual(0)
          expect(box.y).toBeGreaterThanOrEqual(0)
          expect(box.w).toBeGreaterThanOrEqual(1)
          expect(box.h).toBeGreaterThanOrEqual(1)
          expect(box.x + box.w).toBeLessThanOrEqual(width)
          expect(box.y + box.h).toBeLessThanOrEqual(height)
          const changed = changedPixels(before, after)
          // every defect is visible on a mid-grey part
          if (!textured) expect(changed.length).toBeGreaterThan(0)
          for (const { x, y } of changed) {
            expect(x >= box.x && x < box.x + box.w && y >= box.y && y < box.y + box.h, `(${x}, ${y}) outside ${JSON.stringify(box)}`).toBe(true)
          }
          // the box is tight: its edges touch changed pixels
          if (changed.length > 0) {
            expect(Math.min(...changed.map((p) => p.x))).toBe(box.x)
            expect(Math.max(...changed.map((p) => p.y))).toBe(box.y + box.h - 1)
          }
        },
      ),
      { numRuns: 300 },
    )
  })

  it('paints the same bytes from the same seed', () => {
    for (const kind of defectKinds) {
      const a = texturedImage(96, 64, 7)
      const b = texturedImage(96, 64, 7)
      expect(paintDefect(a, kind, createRng(99))).toEqual(paintDefect(b, kind, createRng(99)))
      expect(Buffer.from(a.data).equals(Buffer.from(b.data))).toBe(true)
    }
  })

  it('scales defects with the image: a dent on a large image is larger than on a small one', () => {
    const area = (size: number) => {
      const image = greyImage(size, size)
      const box = paintDefect(image, 'dent', createRng(5))
      return box.w * box.h
    }
    expect(area(512)).toBeGreaterThan(area(64) * 16)
  })

  it('keeps the image size', () => {
    const image = texturedImage(33, 17, 1)
    for (const kind of defectKinds) paintDefect(image, kind, createRng(3))
    expect([image.width, image.height, image.data.length]).toEqual([33, 17, 33 * 17 * 3])
  })
})
