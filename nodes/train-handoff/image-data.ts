// An image dataset as CNN training tensors: the rows' image ids and labels via DuckDB, each blob
// decoded by sharp to raw RGB at its own size, then resized and scaled by `preprocessImage` — the
// TS twin of the ONNX graph's preprocessing — so training sees the numbers serving will compute.
import sharp from 'sharp'
import { StepError, type DatasetColumn } from '../contract'
import { quoteIdent, quoteLiteral, type DuckSession } from '../_lib/duckdb'
import { imageColumns } from '../_lib/image-dataset'
import type { FeatureProfile } from '../_lib/models/metadata'
import { preprocessImage, type FittedImage } from './onnx/image-preprocess'

/** sharp decodes on libuv's pool; a few at a time keep it busy without holding every image at once */
const decodeConcurrency = 4

export interface ImageRows {
  ids: string[]
  /** class index of each row into `labels` (-1: a class the training data does not have) */
  targets: Int32Array
  labels: string[]
  /** rows without an image id or a label, left out */
  unlabelled: number
}

/** The dataset must be an image dataset with the label column; the message names what it has. */
export function checkImageDataset(schema: readonly DatasetColumn[], label: string, which: string): void {
  const names = () => schema.map((c) => JSON.stringify(c.name)).join(', ')
  const image = schema.find((c) => c.name === imageColumns.image)
  if (!image || image.type !== 'VARCHAR') {
    throw new StepError(`The CNN trains on an image dataset, whose "image" column holds image ids; the ${which} data has ${image ? `"image" of type ${image.type}` : 'no "image" column'}: its columns are ${names()}.`)
  }
  if (!schema.some((c) => c.name === label)) throw new StepError(`The label column ${JSON.stringify(label)} is not in the ${which} data; it has ${names()}.`)
}

/** Image ids and labels of every row that has both; class names sorted, as for the tables. */
export async function readImageRows(db: DuckSession, path: string, label: string, knownLabels?: readonly string[]): Promise<ImageRows> {
  const all = await db.rows(`SELECT ${quoteIdent(imageColumns.image)} AS id, CAST(${quoteIdent(label)} AS VARCHAR) AS label FROM read_parquet(${quoteLiteral(path)})`)
  const rows = all.filter((r) => typeof r.id === 'string' && r.id !== '' && r.label !== null && r.label !== '')
  const labels = knownLabels ? [...knownLabels] : [...new Set(rows.map((r) => String(r.label)))].sort()
  const index = new Map(labels.map((l, i) => [l, i]))
  return {
    ids: rows.map((r) => String(r.id)),
    targets: Int32Array.from(rows, (r) => index.get(String(r.label)) ?? -1),
    labels,
    unlabelled: all.length - rows.length,
  }
}

export interface ImageTensors {
  /** NCHW float32 [count, 3, size, size] of f32(pixel / 255), resized as the graph resizes */
  features: Float32Array
  /** per image, its mean level 0…255 of R, G and B at its own size (the reference profile's input) */
  levels: Float64Array
  count: number
}

export interface LoadOptions {
  readBlob(id: string): Promise<Buffer>
  signal: AbortSignal
  onImage?: (done: number) => void
}

/** Decodes and resizes every image into one tensor, in row order whatever order decodes finish in. */
export async function loadImageTensors(ids: readonly string[], size: number, options: LoadOptions): Promise<ImageTensors> {
  const unit: FittedImage = { width: size, height: size, mean: [0, 0, 0], std: [1, 1, 1] }
  const plane = 3 * size * size
  const features = new Float32Array(ids.length * plane)
  const levels = new Float64Array(ids.length * 3)
  let next = 0
  let done = 0
  const worker = async () => {
    while (next < ids.length) {
      options.signal.throwIfAborted()
      const row = next++
      const image = await decodeRgb(ids[row]!, row, options.readBlob)
      features.set(preprocessImage(image.rgb, image.width, image.height, unit), row * plane)
      levels.set(meanLevels(image.rgb), row * 3)
      options.onImage?.(++done)
    }
  }
  await Promise.all(Array.from({ length: Math.min(decodeConcurrency, ids.length) }, worker))
  return { features, levels, count: ids.length }
}

async function decodeRgb(id: string, row: number, readBlob: LoadOptions['readBlob']): Promise<{ rgb: Uint8Array; width: number; height: number }> {
  const bytes = await readBlob(id).catch((error: unknown) => {
    throw new StepError(`The image of row ${row + 1} (${id}) is not in the artifact store.`, { cause: error })
  })
  try {
    // as evaluate and serving decode: alpha dropped, sRGB, 8 bits a channel
    const { data, info } = await sharp(bytes).removeAlpha().toColourspace('srgb').raw().toBuffer({ resolveWithObject: true })
    return { rgb: new Uint8Array(data.buffer, data.byteOffset, data.byteLength), width: info.width, height: info.height }
  } catch (error) {
    throw new StepError(`The image of row ${row + 1} (${id}) cannot be decoded: ${(error as Error).message}`)
  }
}

function meanLevels(rgb: Uint8Array): [number, number, number] {
  const sum = [0, 0, 0]
  for (let i = 0; i < rgb.length; i += 3) {
    sum[0]! += rgb[i]!
    sum[1]! += rgb[i + 1]!
    sum[2]! += rgb[i + 2]!
  }
  const pixels = Math.max(1, rgb.length / 3)
  return [sum[0]! / pixels, sum[1]! / pixels, sum[2]! / pixels]
}

/**
 * Per-channel mean and std of the training pixels after the resize (what the network sees), so
 * no second decoding pass is needed; a flat channel gets std 1.
 */
export function fitNormalisation(tensors: ImageTensors, size: number): FittedImage {
  const plane = size * size
  const stats = [0, 1, 2].map((c) => {
    let sum = 0
    let squares = 0
    for (let i = 0; i < tensors.count; i++) {
      const from = (i * 3 + c) * plane
      for (let p = from; p < from + plane; p++) {
        const v = tensors.features[p]!
        sum += v
        squares += v * v
      }
    }
    const n = Math.max(1, tensors.count * plane)
    const mean = sum / n
    const std = Math.sqrt(Math.max(0, squares / n - mean * mean))
    return { mean, std: std > 1e-6 ? std : 1 }
  })
  return { width: size, height: size, mean: [stats[0]!.mean, stats[1]!.mean, stats[2]!.mean], std: [stats[0]!.std, stats[1]!.std, stats[2]!.std] }
}

/**
 * Normalises in place in float32 in the graph's order — f32(f32(u − mean) / std) of u = f32(v / 255) —
 * so the tensors equal `preprocessImage` with `fitted` (and the ONNX graph) exactly.
 */
export function normalise(tensors: ImageTensors, fitted: FittedImage): void {
  const f = Math.fround
  const plane = fitted.width * fitted.height
  for (let i = 0; i < tensors.count; i++) {
    for (let c = 0; c < 3; c++) {
      const mean = f(fitted.mean[c]!)
      const std = f(fitted.std[c]!)
      const from = (i * 3 + c) * plane
      for (let p = from; p < from + plane; p++) tensors.features[p] = f(f(tensors.features[p]! - mean) / std)
    }
  }
}

/** The image variant of the reference profile: mean RGB level per channel, and its spread across images. */
export function imageProfile(tensors: ImageTensors): FeatureProfile {
  const mean = [0, 1, 2].map((c) => {
    let sum = 0
    for (let i = 0; i < tensors.count; i++) sum += tensors.levels[i * 3 + c]!
    return sum / Math.max(1, tensors.count)
  })
  const std = [0, 1, 2].map((c) => {
    let squares = 0
    for (let i = 0; i < tensors.count; i++) squares += (tensors.levels[i * 3 + c]! - mean[c]!) ** 2
    return Math.sqrt(squares / Math.max(1, tensors.count))
  })
  return { name: imageColumns.image, kind: 'image', count: tensors.count, meanLevel: [mean[0]!, mean[1]!, mean[2]!], stdLevel: [std[0]!, std[1]!, std[2]!] }
}
