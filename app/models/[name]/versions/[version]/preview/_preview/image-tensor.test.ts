import { describe, expect, it } from 'vitest'
import { drawSize, fixedImageSize, imageFeed, rgbaToRgb, rgbToRgba } from './image-tensor'

const dynamicInput = { name: 'image', type: 'uint8' as const, shape: ['N', 'H', 'W', 3] }

describe('an image as the model takes it', () => {
  it('is RGB uint8 [1, H, W, 3], rows top to bottom, the alpha dropped', () => {
    // 2 wide, 3 high: pixel (x, y) has R = 10y + x, G = 100 + R, B = 200 + R, alpha anything
    const width = 2
    const height = 3
    const rgba = new Uint8ClampedArray(width * height * 4)
    for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) rgba.set([10 * y + x, 110 + 10 * y + x, 200 + 10 * y + x, 7], (y * width + x) * 4)
    const image = rgbaToRgb(rgba, width, height)
    const feed = imageFeed(image)
    expect(feed.type).toBe('uint8')
    expect(feed.dims).toEqual([1, 3, 2, 3])
    expect(Array.from(feed.data as Uint8Array)).toEqual([0, 110, 200, 1, 111, 201, 10, 120, 210, 11, 121, 211, 20, 130, 220, 21, 131, 221])
    // and back, opaque, for the PNG the server gets
    expect(Array.from(rgbToRgba(image).subarray(0, 8))).toEqual([0, 110, 200, 255, 1, 111, 201, 255])
  })

  it('refuses pixels that do not fit the size', () => {
    expect(() => rgbaToRgb(new Uint8ClampedArray(12), 2, 2)).toThrow('expected 16 RGBA bytes for 2×2, got 12')
  })

  it('keeps its own size for a model that resizes inside, shrinks only a huge photo, and takes a fixed size as given', () => {
    expect(drawSize({ width: 45, height: 30 }, dynamicInput)).toEqual({ width: 45, height: 30 })
    expect(drawSize({ width: 4000, height: 3000 }, dynamicInput)).toEqual({ width: 1024, height: 768 })
    const fixed = { ...dynamicInput, shape: ['N', 224, 200, 3] }
    expect(fixedImageSize(fixed)).toEqual({ width: 200, height: 224 })
    expect(drawSize({ width: 45, height: 30 }, fixed)).toEqual({ width: 200, height: 224 })
  })
})
