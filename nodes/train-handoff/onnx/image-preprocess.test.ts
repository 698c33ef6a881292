import { describe, expect, it } from 'vitest'
import { preprocessOnlyModel } from './assemble'
import { fitImagePreprocess, imagePreprocessGraph, preprocessImage, type FittedImage } from './image-preprocess'
import { floats, maxAbsDiff, runModel, runtimes, seeded } from './test-runtimes'

function randomImage(width: number, height: number, seed: number): Uint8Array {
  const random = seeded(seed)
  return Uint8Array.from({ length: width * height * 3 }, () => Math.floor(random() * 256))
}

const fitted: FittedImage = { width: 4, height: 4, mean: [0.485, 0.456, 0.406], std: [0.229, 0.224, 0.225] }
const output = 'pipewright.pre/features'

describe('fitting image preprocessing', () => {
  it('learns the per-channel mean and population std of pixels scaled to 0…1', () => {
    const rgb = Uint8Array.of(0, 51, 255, 255, 51, 255)
    const out = fitImagePreprocess([{ rgb, width: 2, height: 1 }], { width: 8, height: 8 })
    expect(out.mean).toEqual([0.5, 0.2, 1])
    expect(out.std[0]).toBeCloseTo(0.5, 12)
    // a flat channel would divide by zero
    expect(out.std.slice(1)).toEqual([1, 1])
    expect([out.width, out.height]).toEqual([8, 8])
  })

  it('refuses pixels that do not fit the stated size', () => {
    expect(() => preprocessImage(new Uint8Array(10), 2, 2, fitted)).toThrow(/needs 12 RGB bytes/)
  })
})

describe('the image preprocessing graph', () => {
  const bytes = preprocessOnlyModel(imagePreprocessGraph(fitted))

  for (const runtime of runtimes) {
    it(`in ${runtime} resizes a 5×3 image to 4×4 and normalises it as preprocessImage does, to 1e-6`, async () => {
      const rgb = randomImage(5, 3, 21)
      const out = await runModel(runtime, bytes, { image: { type: 'uint8', data: rgb, dims: [1, 3, 5, 3] } })
      expect(out[output]?.dims).toEqual([1, 3, 4, 4])
      expect(maxAbsDiff(floats(out, output), preprocessImage(rgb, 5, 3, fitted))).toBeLessThanOrEqual(1e-6)
    })

    it(`in ${runtime} takes a batch of larger images, shrinking them, with the batch and size dynamic`, async () => {
      const images = [randomImage(9, 7, 1), randomImage(9, 7, 2)]
      const batch = Uint8Array.from([...images[0]!, ...images[1]!])
      const out = await runModel(runtime, bytes, { image: { type: 'uint8', data: batch, dims: [2, 7, 9, 3] } })
      const expected = Float32Array.from([...preprocessImage(images[0]!, 9, 7, fitted), ...preprocessImage(images[1]!, 9, 7, fitted)])
      expect(out[output]?.dims).toEqual([2, 3, 4, 4])
      expect(maxAbsDiff(floats(out, output), expected)).toBeLessThanOrEqual(1e-6)
    })
  }

  it('resizes as a plain half-pixel bilinear does (PIL, OpenCV, PyTorch align_corners=false)', async () => {
    // a horizontal ramp 0, 40, 80, 120, 160 sampled at x = 0.125, 1.375, 2.625, 3.875
    const ramp = Uint8Array.from({ length: 5 * 3 * 3 }, (_, i) => (i % 3 === 0 ? (Math.floor(i / 3) % 5) * 40 : 0))
    const unit: FittedImage = { width: 4, height: 4, mean: [0, 0, 0], std: [1, 1, 1] }
    const out = await runModel('onnxruntime-node', preprocessOnlyModel(imagePreprocessGraph(unit)), { image: { type: 'uint8', data: ramp, dims: [1, 3, 5, 3] } })
    const red = [...floats(out, output).slice(0, 16)].map((v) => Math.round(v * 255 * 1000) / 1000)
    expect(red).toEqual([0, 1, 2, 3].flatMap(() => [5, 55, 105, 155]))
    expect([...preprocessImage(ramp, 5, 3, unit).slice(0, 16)].map((v) => Math.round(v * 255 * 1000) / 1000)).toEqual(red)
  })
})
