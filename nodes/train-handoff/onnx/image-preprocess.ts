// Image preprocessing inside the ONNX graph: raw RGB pixels uint8 [N, H, W, 3] at any H and W are
// resized to the model's size, scaled to 0…1 and normalised per channel into `features`
// float32 [N, 3, h, w]. `preprocessImage` is the TS twin for training data.
//
// Operators (ai.onnx 17): Cast, Transpose, Shape (start/end), Concat, Resize, Div, Sub.
// Resize is a plain bilinear with half-pixel centres (`coordinate_transformation_mode: half_pixel`,
// as OpenCV's INTER_LINEAR and PyTorch's align_corners=False), without antialiasing (that needs
// ai.onnx 18). sharp's `kernel: 'linear'` is not this: libvips filters when shrinking and places
// samples differently when enlarging. Measured on ramps of 40 levels a pixel: 5→4 wide, the graph
// gives 5 55 105 155 where sharp gives 9 33 80 127; 4→8 wide, 0 10 30 … 120 against 0 0 20 … 120;
// on random pixels 5×3→4×4 the largest difference is 102 levels. So decode with sharp, but resize
// training images with `preprocessImage` (not sharp.resize) to train on what serving computes.
import { z } from 'zod'
import type { TensorSignature } from '@/nodes/_lib/models/metadata'
import { attr, floatTensor, int64Tensor, node, prefixer, type Subgraph } from './builder'
import { preprocessPrefix, type PreprocessGraph } from './preprocess-graph'

const channelTriple = z.tuple([z.number(), z.number(), z.number()])

export const fittedImageSchema = z.object({
  width: z.number().int().positive().max(4096),
  height: z.number().int().positive().max(4096),
  /** per channel, of pixels scaled to 0…1 */
  mean: channelTriple,
  std: z.tuple([z.number().positive(), z.number().positive(), z.number().positive()]),
})
export type FittedImage = z.infer<typeof fittedImageSchema>

/** The normalisation of models pretrained on ImageNet, for heads that start from one. */
export const imagenetNormalisation = { mean: [0.485, 0.456, 0.406], std: [0.229, 0.224, 0.225] } as const

export const imageInput = 'image'

export interface RgbImage {
  /** interleaved RGB, row-major: width × height × 3 bytes */
  rgb: Uint8Array
  width: number
  height: number
}

/** Per-channel mean and population std of the training pixels (0…1); a flat channel gets std 1. */
export function fitImagePreprocess(images: Iterable<RgbImage>, size: { width: number; height: number }): FittedImage {
  const sum = [0, 0, 0]
  const squares = [0, 0, 0]
  let count = 0
  for (const image of images) {
    checkImage(image)
    for (let i = 0; i < image.rgb.length; i += 3) {
      for (let c = 0; c < 3; c += 1) {
        const v = (image.rgb[i + c] ?? 0) / 255
        sum[c]! += v
        squares[c]! += v * v
      }
    }
    count += image.rgb.length / 3
  }
  const channel = (c: 0 | 1 | 2) => {
    const mean = count === 0 ? 0 : sum[c]! / count
    const variance = count === 0 ? 0 : squares[c]! / count - mean * mean
    const std = Math.sqrt(Math.max(variance, 0))
    return { mean, std: std > 1e-6 ? std : 1 }
  }
  const [r, g, b] = [channel(0), channel(1), channel(2)]
  return { width: size.width, height: size.height, mean: [r.mean, g.mean, b.mean], std: [r.std, g.std, b.std] }
}

function checkImage(image: RgbImage): void {
  if (image.rgb.length !== image.width * image.height * 3) {
    throw new Error(`image of ${image.width}×${image.height} needs ${image.width * image.height * 3} RGB bytes, got ${image.rgb.length}`)
  }
}

export function imageInputSignature(): TensorSignature {
  return { name: imageInput, type: 'uint8', shape: ['N', 'H', 'W', 3] }
}

/** The preprocessing nodes: `image` uint8 [N, H, W, 3] → float32 [N, 3, height, width]. */
export function imagePreprocessGraph(fitted: FittedImage): PreprocessGraph {
  const name = prefixer(`${preprocessPrefix}/image`)
  const output = `${preprocessPrefix}/features`
  const graph: Subgraph = {
    opsets: { '': 17 },
    initializers: [
      int64Tensor(name('size'), [2], [fitted.height, fitted.width]),
      floatTensor(name('255'), [], [255]),
      floatTensor(name('mean'), [1, 3, 1, 1], fitted.mean),
      floatTensor(name('std'), [1, 3, 1, 1], fitted.std),
    ],
    nodes: [
      node('Cast', [imageInput], [name('float')], { attributes: [attr.int('to', 1)] }),
      node('Transpose', [name('float')], [name('nchw')], { attributes: [attr.ints('perm', [0, 3, 1, 2])] }),
      // sizes = [N, 3, height, width]: the batch and channels kept, only H and W resized
      node('Shape', [name('nchw')], [name('batch_channels')], { attributes: [attr.int('start', 0), attr.int('end', 2)] }),
      node('Concat', [name('batch_channels'), name('size')], [name('sizes')], { attributes: [attr.int('axis', 0)] }),
      node('Resize', [name('nchw'), '', '', name('sizes')], [name('resized')], {
        attributes: [attr.string('mode', 'linear'), attr.string('coordinate_transformation_mode', 'half_pixel')],
      }),
      node('Div', [name('resized'), name('255')], [name('unit')]),
      node('Sub', [name('unit'), name('mean')], [name('centred')]),
      node('Div', [name('centred'), name('std')], [output]),
    ],
  }
  return {
    inputs: [imageInputSignature()],
    features: [{ name: imageInput, kind: 'image', width: fitted.width, height: fitted.height }],
    output,
    featureShape: [3, fitted.height, fitted.width],
    graph,
  }
}

/**
 * One image as the graph computes it: float32 [3, height, width], channel-major. Every step is
 * rounded to float32 in onnxruntime's order (its CPU bilinear kernel, shared by the wasm build),
 * so the two agree to a few float32 ulps rather than only to the resampling method.
 */
export function preprocessImage(rgb: Uint8Array, width: number, height: number, fitted: FittedImage): Float32Array {
  checkImage({ rgb, width, height })
  const xs = axisSamples(width, fitted.width)
  const ys = axisSamples(height, fitted.height)
  const plane = fitted.width * fitted.height
  const out = new Float32Array(3 * plane)
  const f = Math.fround
  const pixel = (x: number, y: number, c: number) => rgb[(y * width + x) * 3 + c] ?? 0
  for (let c = 0; c < 3; c += 1) {
    const mean = f(fitted.mean[c] ?? 0)
    const std = f(fitted.std[c] ?? 1)
    ys.forEach((sy, oy) => {
      xs.forEach((sx, ox) => {
        // dx2·dy2·X11 + dx1·dy2·X21 + dx2·dy1·X12 + dx1·dy1·X22, left to right, in float32
        const a = f(f(sx.w2 * sy.w2) * pixel(sx.lo, sy.lo, c))
        const b = f(f(sx.w1 * sy.w2) * pixel(sx.hi, sy.lo, c))
        const d = f(f(sx.w2 * sy.w1) * pixel(sx.lo, sy.hi, c))
        const e = f(f(sx.w1 * sy.w1) * pixel(sx.hi, sy.hi, c))
        const value = f(f(f(a + b) + d) + e)
        out[c * plane + oy * fitted.width + ox] = f(f(f(value / 255) - mean) / std)
      })
    })
  }
  return out
}

/**
 * Half-pixel source positions along one axis, clamped to the edge, with the weights of the lower
 * (`w2`) and upper (`w1`) neighbour as onnxruntime computes them in float32.
 */
function axisSamples(inSize: number, outSize: number): { lo: number; hi: number; w1: number; w2: number }[] {
  const f = Math.fround
  const scale = f(outSize / inSize)
  return Array.from({ length: outSize }, (_, o) => {
    const original = scale === 1 ? o : f(f(f(o + 0.5) / scale) - 0.5)
    const at = Math.min(Math.max(original, 0), inSize - 1)
    const lo = Math.min(Math.trunc(at), inSize - 1)
    const hi = Math.min(lo + 1, inSize - 1)
    if (lo === hi) return { lo, hi, w1: 0.5, w2: 0.5 }
    return { lo, hi, w1: f(Math.abs(at - lo)), w2: f(Math.abs(at - hi)) }
  })
}
