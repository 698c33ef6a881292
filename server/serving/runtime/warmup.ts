// The first run of a session allocates its buffers and picks its kernels, which makes it several
// times slower than the next; each thread runs one row of neutral input before it takes traffic so
// no user's request pays for that.
import type { Feature } from '@/nodes/_lib/models/metadata'
import type { Feeds, TensorData } from '@/nodes/_lib/models/session-thread/session-thread'
import { isDynamicDim, type InputSpec } from './feeds'

/** One row per input: 0 for numbers, '' for strings, a black image at the image feature's size. */
export function warmupFeeds(inputs: readonly InputSpec[], features: readonly Feature[]): Feeds {
  const image = features.find((f) => f.kind === 'image')
  const feeds: Feeds = {}
  for (const input of inputs) {
    const dims = warmupDims(input, image && image.kind === 'image' ? image : undefined)
    const size = dims.reduce((product, d) => product * d, 1)
    feeds[input.name] = { type: input.type ?? 'float32', data: zeros(input.type ?? 'float32', size), dims }
  }
  return feeds
}

function warmupDims(input: InputSpec, image: { width: number; height: number } | undefined): number[] {
  const shape = input.shape ?? [1]
  // an image input is [N, H, W, 3]: a free H and W take the size the model was trained at
  const isImage = image !== undefined && shape.length === 4 && shape[3] === 3
  return shape.map((dim, axis) => {
    if (!isDynamicDim(dim)) return dim as number
    if (isImage && axis === 1) return image.height
    if (isImage && axis === 2) return image.width
    return 1
  })
}

function zeros(type: string, size: number): TensorData['data'] {
  switch (type) {
    case 'string':
      return Array.from({ length: size }, () => '')
    case 'float64':
      return new Float64Array(size)
    case 'int32':
      return new Int32Array(size)
    case 'int64':
      return new BigInt64Array(size)
    case 'uint8':
    case 'bool':
      return new Uint8Array(size)
    default:
      return new Float32Array(size)
  }
}
