import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import sharp from 'sharp'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { JsonRow } from '../_lib/duckdb'
import { writeImageDataset, type Box, type ImageRow } from '../_lib/image-dataset'
import { createImage, type RawImage } from '../_lib/images/raw-image'
import { createTestContext, type TestRun } from '../_lib/test-context'
import { ingest } from '../ingest/definition'
import { augment, type ImageOp } from './definition'
import { decodeImage, encodePng } from './image-ops'
import { run } from './run'
import { useAugmentKit, type AugmentInput } from './test-kit'

const { augmentRun, augmentFails, tempDir } = useAugmentKit()

// blobs a test dataset refers to live in a context of their own, as an upstream step's would
let host: TestRun<unknown, never, never>
beforeAll(async () => {
  host = (await createTestContext(ingest, { source: { type: 'sample', name: 'penguins' } })) as unknown as TestRun<unknown, never, never>
})
afterAll(() => host.cleanup())

const red = [255, 0, 0] as const

/** A textured picture with a pure red rectangle exactly where its box says. */
function picture(width: number, height: number, variant: number, box?: Box): RawImage {
  const image = createImage(width, height)
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = (y * width + x) * 3
      image.data[i] = 40 + ((x * 97 + variant * 31) % 120)
      image.data[i + 1] = 60 + ((y * 53 + variant * 17) % 140)
      image.data[i + 2] = 30 + (((x ^ y) * 7 + variant) % 100)
      if (box && x >= box.x && x < box.x + box.w && y >= box.y && y < box.y + box.h) image.data.set(red, i)
    }
  }
  return image
}

interface Spec {
  label: string
  width: number
  height: number
  box?: Box
}

let datasetCount = 0
async function imageDataset(specs: Spec[], options: { withBoxes?: boolean } = {}): Promise<string> {
  const rows: ImageRow[] = []
  for (const [i, spec] of specs.entries()) {
    const png = await encodePng(picture(spec.width, spec.height, i, spec.box))
    const image = await host.ctx.outputs.blob(png, 'image/png')
    rows.push({ image, width: spec.width, height: spec.height, label: spec.label, boxes: spec.box ? [spec.box] : [], surface: `s${i}` })
  }
  const path = join(tempDir(), `images-${datasetCount++}.parquet`)
  await writeImageDataset(path, rows, { workDir: tempDir(), extraColumns: { surface: 'VARCHAR' } })
  if (options.withBoxes === false) {
    const { withDuckDB, quoteLiteral } = await import('../_lib/duckdb')
    const without = path.replace('.parquet', '-nb.parquet')
    await withDuckDB((db) => db.exec(`COPY (SELECT * EXCLUDE (boxes) FROM read_parquet(${quoteLiteral(path)})) TO ${quoteLiteral(without)} (FORMAT parquet)`))
    return without
  }
  return path
}

async function pixels(t: { blobs: ReadonlyMap<string, { path: string }> }, row: JsonRow): Promise<RawImage> {
  const blob = t.blobs.get(row.image as string) ?? host.blobs.get(row.image as string)!
  return decodeImage(await readFile(blob.path), row.width as number, row.height as number)
}

/** The bounding box of the pixels that are (nearly) pure red. */
function redBounds(image: RawImage) {
  let [x0, y0, x1, y1] = [Infinity, Infinity, -Infinity, -Infinity]
  for (let y = 0; y < image.height; y++) {
    for (let x = 0; x < image.width; x++) {
      const i = (y * image.width + x) * 3
      if (image.data[i]! > 230 && image.data[i + 1]! < 25 && image.data[i + 2]! < 25) {
        x0 = Math.min(x0, x)
        y0 = Math.min(y0, y)
        x1 = Math.max(x1, x + 1)
        y1 = Math.max(y1, y + 1)
      }
    }
  }
  return { x: x0, y: y0, w: x1 - x0, h: y1 - y0 }
}

const added = (rows: JsonRow[]) => rows.filter((r) => (r._ops as string[]).length > 0)
const allOps: ImageOp[] = [
  { op: 'flip_h', p: 0.5 },
  { op: 'flip_v', p: 0.5 },
  { op: 'rotate_90', p: 0.4, angles: [90, 180, 270] },
  { op: 'rotate', p: 0.4, maxDegrees: 12 },
  { op: 'brightness', p: 0.5, min: 0.7, max: 1.3 },
  { op: 'contrast', p: 0.5, min: 0.7, max: 1.3 },
  { op: 'blur', p: 0.3, minSigma: 0.5, maxSigma: 1.5 },
  { op: 'noise', p: 0.4, minSigma: 2, maxSigma: 10 },
  { op: 'crop', p: 0.5, minScale: 0.6, maxScale: 0.9 },
]

describe('augment (images)', () => {
  it('is deterministic: the same seed gives the same images and Parquet bytes, another seed others', async () => {
    const input = await imageDataset([
      { label: 'good', width: 48, height: 32, box: { label: 'mark', x: 5, y: 4, w: 10, h: 8 } },
      { label: 'good', width: 40, height: 40 },
      { label: 'bad', width: 32, height: 48, box: { label: 'mark', x: 20, y: 30, w: 6, h: 12 } },
    ])
    const config = { mode: 'images', copies: 4, ops: allOps, seed: 5 } satisfies AugmentInput
    const first = await augmentRun(input, config)
    const second = await augmentRun(input, config)
    const other = await augmentRun(input, { ...config, seed: 6 })
    expect(first.rows).toHaveLength(15)
    expect(second.sha256).toBe(first.sha256)
    expect(second.rows.map((r) => r.image)).toEqual(first.rows.map((r) => r.image))
    expect(other.rows.map((r) => r.image)).not.toEqual(first.rows.map((r) => r.image))
    expect(first.report).toMatchObject({ mode: 'images', rowsIn: 3, rowsAdded: 12, rowsOut: 15 })
    expect(first.t.progress.at(-1)).toEqual({ fraction: 1, message: 'Done' })
  })

  it('keeps every image at its declared size, whatever the operations (non-square images too)', async () => {
    const input = await imageDataset([
      { label: 'a', width: 48, height: 32 },
      { label: 'b', width: 30, height: 50 },
    ])
    const { rows, t } = await augmentRun(input, { mode: 'images', copies: 6, ops: allOps, seed: 9 })
    for (const row of added(rows)) {
      const blob = t.blobs.get(row.image as string)!
      const meta = await sharp(await readFile(blob.path)).metadata()
      expect([meta.width, meta.height, meta.format]).toEqual([row.width, row.height, 'png'])
      expect(blob.mediaType).toBe('image/png')
      for (const b of row.boxes as Box[]) {
        expect(b.x).toBeGreaterThanOrEqual(0)
        expect(b.x + b.w).toBeLessThanOrEqual((row.width as number) + 1e-9)
      }
    }
  })

  it('moves boxes with flips and right-angle turns exactly as the pixels move', async () => {
    const box: Box = { label: 'mark', x: 5, y: 3, w: 9, h: 6 }
    const input = await imageDataset([{ label: 'a', width: 40, height: 40, box }])
    const cases: [ImageOp, Box][] = [
      [{ op: 'flip_h', p: 1 }, { ...box, x: 40 - 5 - 9 }],
      [{ op: 'flip_v', p: 1 }, { ...box, y: 40 - 3 - 6 }],
      [{ op: 'rotate_90', p: 1, angles: [90] }, { label: 'mark', x: 40 - 3 - 6, y: 5, w: 6, h: 9 }],
      [{ op: 'rotate_90', p: 1, angles: [180] }, { label: 'mark', x: 40 - 5 - 9, y: 40 - 3 - 6, w: 9, h: 6 }],
      [{ op: 'rotate_90', p: 1, angles: [270] }, { label: 'mark', x: 3, y: 40 - 5 - 9, w: 6, h: 9 }],
    ]
    for (const [op, expected] of cases) {
      const { rows, t } = await augmentRun(input, { mode: 'images', ops: [op] })
      const [copy] = added(rows)
      expect(copy!.boxes).toEqual([expected])
      expect(redBounds(await pixels(t, copy!))).toEqual({ x: expected.x, y: expected.y, w: expected.w, h: expected.h })
    }
  })

  it('flips pixels exactly: a horizontal flip mirrors every row', async () => {
    const input = await imageDataset([{ label: 'a', width: 24, height: 16 }])
    const { rows, t } = await augmentRun(input, { mode: 'images', ops: [{ op: 'flip_h', p: 1 }] })
    const before = await pixels(t, rows[0]!)
    const after = await pixels(t, rows[1]!)
    for (let y = 0; y < 16; y++) {
      for (let x = 0; x < 24; x++) {
        const a = (y * 24 + x) * 3
        const b = (y * 24 + 23 - x) * 3
        expect([...after.data.subarray(a, a + 3)]).toEqual([...before.data.subarray(b, b + 3)])
      }
    }
    expect(rows[1]).toMatchObject({ _source_row: 1, _ops: ['flip_h'], label: 'a', surface: 's0' })
  })

  it('keeps boxes around their pixels through small rotations and crops, clipped to the picture', async () => {
    const box: Box = { label: 'mark', x: 12, y: 10, w: 14, h: 9 }
    const input = await imageDataset([{ label: 'a', width: 48, height: 40, box }])
    const ops: ImageOp[] = [
      { op: 'rotate', p: 1, maxDegrees: 20 },
      { op: 'crop', p: 1, minScale: 0.5, maxScale: 0.8 },
    ]
    for (const op of ops) {
      const { rows, t } = await augmentRun(input, { mode: 'images', copies: 8, ops: [op], seed: 2 })
      expect(added(rows).filter((r) => (r.boxes as Box[]).length === 1).length).toBeGreaterThan(4)
      for (const copy of added(rows)) {
        const red = redBounds(await pixels(t, copy))
        const boxes = copy.boxes as Box[]
        if (boxes.length === 0) continue // the crop cut the box away
        const [b] = boxes
        // pure red pixels (not blended at an edge) lie inside the box, with a pixel's slack for resampling
        expect(red.x).toBeGreaterThanOrEqual(Math.floor(b!.x) - 1)
        expect(red.y).toBeGreaterThanOrEqual(Math.floor(b!.y) - 1)
        expect(red.x + red.w).toBeLessThanOrEqual(Math.ceil(b!.x + b!.w) + 1)
        expect(red.y + red.h).toBeLessThanOrEqual(Math.ceil(b!.y + b!.h) + 1)
        expect(b!.x).toBeGreaterThanOrEqual(0)
        expect(b!.y).toBeGreaterThanOrEqual(0)
        expect(b!.x + b!.w).toBeLessThanOrEqual(48 + 1e-9)
        expect(b!.y + b!.h).toBeLessThanOrEqual(40 + 1e-9)
      }
    }
  })

  it('grows chosen labels to a target, sharing the copies out over their images', async () => {
    const input = await imageDataset([
      { label: 'common', width: 16, height: 16 },
      { label: 'common', width: 16, height: 16 },
      { label: 'common', width: 16, height: 16 },
      { label: 'common', width: 16, height: 16 },
      { label: 'rare', width: 16, height: 16 },
      { label: 'rare', width: 16, height: 16 },
      { label: 'rare', width: 16, height: 16 },
    ])
    const { rows, report } = await augmentRun(input, { mode: 'images', labels: ['rare'], targetPerLabel: 8, ops: [{ op: 'brightness', p: 0.5 }] })
    expect(added(rows).map((r) => r._source_row)).toEqual([5, 5, 6, 6, 7])
    expect(report.classes).toEqual([
      { label: 'common', before: 4, added: 0, after: 4 },
      { label: 'rare', before: 3, added: 5, after: 8 },
    ])
    // every copy has at least one operation, even where the coin said no
    expect(report.ops).toEqual({ brightness: 5 })
  })

  it('paints defects on good images: the defect label, its box, and changed pixels only inside it', async () => {
    const mark: Box = { label: 'logo', x: 2, y: 2, w: 5, h: 5 }
    const input = await imageDataset([
      { label: 'good', width: 64, height: 48, box: mark },
      { label: 'good', width: 64, height: 48 },
      { label: 'scratch', width: 64, height: 48 },
    ])
    const { rows, report, t } = await augmentRun(input, { mode: 'images', defects: { goodLabel: 'good', kinds: ['scratch', 'dust', 'smudge'], perImage: 3 }, seed: 4 })
    const defects = added(rows)
    expect(defects).toHaveLength(6)
    for (const row of defects) {
      const kind = row.label as string
      expect(['scratch', 'dust', 'smudge']).toContain(kind)
      expect(row._ops).toEqual([`defect(${kind})`])
      const source = rows[(row._source_row as number) - 1]!
      expect(source.label).toBe('good')
      const boxes = row.boxes as Box[]
      expect(boxes.slice(0, -1)).toEqual(source.boxes)
      const box = boxes.at(-1)!
      expect(box.label).toBe(kind)
      const [before, after] = [await pixels(t, source), await pixels(t, row)]
      let changed = 0
      for (let y = 0; y < 48; y++) {
        for (let x = 0; x < 64; x++) {
          const i = (y * 64 + x) * 3
          const same = before.data[i] === after.data[i] && before.data[i + 1] === after.data[i + 1] && before.data[i + 2] === after.data[i + 2]
          if (same) continue
          changed++
          expect(x >= box.x && x < box.x + box.w && y >= box.y && y < box.y + box.h, `(${x}, ${y}) outside ${JSON.stringify(box)}`).toBe(true)
        }
      }
      expect(changed).toBeGreaterThan(0)
    }
    const after = Object.fromEntries(report.classes.map((c) => [c.label, c.after]))
    expect(after.good).toBe(2)
    expect(Object.values(report.ops).reduce((a, b) => a + b, 0)).toBe(6)
  })

  it('adds an empty boxes column to a dataset without one, and keeps other columns', async () => {
    const input = await imageDataset([{ label: 'good', width: 32, height: 32 }], { withBoxes: false })
    const { rows } = await augmentRun(input, { mode: 'images', defects: { goodLabel: 'good', kinds: ['dust'] }, ops: [{ op: 'flip_v' }] })
    expect(rows.map((r) => Object.keys(r))).toEqual(Array(3).fill(['image', 'width', 'height', 'label', 'surface', 'boxes', '_source_row', '_ops']))
    expect(rows[0]).toMatchObject({ boxes: [], _source_row: 1, _ops: [] })
    expect(rows[2]).toMatchObject({ label: 'dust', surface: 's0', _source_row: 1 })
    expect((rows[2]!.boxes as Box[])[0]!.label).toBe('dust')
  })
})

describe('augment (images) with images it cannot use', () => {
  it('an image id that is not in the store', async () => {
    const path = join(tempDir(), 'missing.parquet')
    const missing = 'f'.repeat(64)
    await writeImageDataset(path, [{ image: missing, width: 8, height: 8, label: 'x' }], { workDir: tempDir() })
    const error = await augmentFails(path, { mode: 'images', ops: [{ op: 'flip_h' }] })
    expect(error.message).toBe(`The image of row 1 (${missing}) is not in the artifact store.`)
  })
})

describe('augment (images) cancellation', () => {
  it('stops when the run is canceled and publishes nothing', async () => {
    const input = await imageDataset(Array.from({ length: 12 }, () => ({ label: 'a', width: 64, height: 64 })))
    const t = await createTestContext(augment, { mode: 'images', copies: 3, ops: allOps }, { inputs: { dataset: input } })
    try {
      const running = run(t.ctx)
      t.controller.abort(new Error('canceled'))
      await expect(running).rejects.toThrow('canceled')
      expect(t.reports.report).toBeUndefined()
      expect(t.outputs.dataset).toBeUndefined()
    } finally {
      await t.cleanup()
    }
  })
})

describe('augment (images) refuses bad settings with a clear message', () => {
  it('a label that is not there, as a chosen label or as the good label', async () => {
    const input = await imageDataset([{ label: 'good', width: 16, height: 16 }, { label: 'dent', width: 16, height: 16 }])
    expect((await augmentFails(input, { mode: 'images', labels: ['Good'], ops: [{ op: 'flip_h' }] })).message).toBe(
      'Label "Good" is not in the dataset; its labels are "dent", "good".',
    )
    expect((await augmentFails(input, { mode: 'images', defects: { goodLabel: 'ok' } })).message).toBe(
      'Label "ok" is not in the dataset; its labels are "dent", "good".',
    )
  })

  it('no operation and no defects', async () => {
    const input = await imageDataset([{ label: 'good', width: 16, height: 16 }])
    expect((await augmentFails(input, { mode: 'images' })).message).toBe("The augment step's config is invalid at ops: give at least one operation or defects")
  })

  it('an image that cannot be decoded', async () => {
    const bogus = await host.ctx.outputs.blob(new TextEncoder().encode('not a png'), 'image/png')
    const path = join(tempDir(), 'bogus.parquet')
    await writeImageDataset(path, [{ image: bogus, width: 8, height: 8, label: 'x' }], { workDir: tempDir() })
    const error = await augmentFails(path, { mode: 'images', ops: [{ op: 'flip_h' }] })
    expect(error.message).toMatch(new RegExp(`^The image of row 1 \\(${bogus}\\) cannot be read: `))
  })
})
