// Image augmentation: the augment step making one copy of each of 2,000 images of 256×256 with
// three operations (flip, brightness, random crop), beside sharp alone doing a plain resize of
// the same images, read from the same files, as many at a time. Both write PNG.
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { performance } from 'node:perf_hooks'
import sharp from 'sharp'
import { writeImageDataset, type ImageRow } from '@/nodes/_lib/image-dataset'
import { renderCameraImage, type CameraSettings } from '@/nodes/_lib/images/camera'
import { createTestContext, type TestRun } from '@/nodes/_lib/test-context'
import { augment } from '@/nodes/augment/definition'
import { encodePng } from '@/nodes/augment/image-ops'
import { imageConcurrency } from '@/nodes/augment/images'
import { run } from '@/nodes/augment/run'
import { ingest } from '@/nodes/ingest/definition'

const side = 256

const camera: CameraSettings = {
  width: side,
  height: side,
  seed: 1,
  surface: 'mixed',
  defectRate: 0.2,
  defectMix: { scratch: 1, dust: 1, smudge: 1, dent: 1 },
  maxDefects: 2,
  lighting: { brightness: 1, gradient: 0.2, gradientAngle: 30, glare: 0.2 },
  blur: 0.6,
  noise: 3,
}

async function boundedEach<T>(items: readonly T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0
  await Promise.all(
    Array.from({ length: limit }, async () => {
      while (next < items.length) await work(items[next++]!)
    }),
  )
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.floor(sorted.length / 2)]!
}

export async function benchAugment(count = Number(process.env.BENCH_AUGMENT_IMAGES ?? 2000)) {
  process.stdout.write(`  rendering ${count} camera images of ${side}×${side} …\n`)
  const host = (await createTestContext(ingest, { source: { type: 'sample', name: 'penguins' } })) as unknown as TestRun<unknown, never, never>
  try {
    const rows: ImageRow[] = []
    for (let i = 0; i < count; i++) {
      const shot = renderCameraImage(camera, i)
      const image = await host.ctx.outputs.blob(await encodePng(shot.image), 'image/png')
      rows.push({ image, width: side, height: side, label: shot.label, boxes: shot.boxes })
    }
    const input = join(host.root, 'images.parquet')
    await writeImageDataset(input, rows, { workDir: host.ctx.workDir })
    const files = rows.map((r) => host.blobs.get(r.image)!.path)

    const sharpAlone = async () => {
      const started = performance.now()
      await boundedEach(files, imageConcurrency, async (file) => {
        await sharp(await readFile(file)).resize(224, 224).png().toBuffer()
      })
      return performance.now() - started
    }
    const product = async () => {
      const t = await createTestContext(augment, {
        mode: 'images',
        copies: 1,
        ops: [
          { op: 'flip_h', p: 1 },
          { op: 'brightness', p: 1, min: 0.8, max: 1.2 },
          { op: 'crop', p: 1, minScale: 0.7, maxScale: 0.95 },
        ],
        seed: 3,
      }, { inputs: { dataset: input } })
      try {
        const started = performance.now()
        await run(t.ctx)
        return performance.now() - started
      } finally {
        await t.cleanup()
      }
    }

    // interleaved, after one warm-up of each: the machine's load falls on both alike
    await sharpAlone()
    await product()
    const alone: number[] = []
    const ours: number[] = []
    for (let i = 0; i < 3; i++) {
      alone.push(await sharpAlone())
      ours.push(await product())
    }
    const ourRate = count / (median(ours) / 1000)
    const aloneRate = count / (median(alone) / 1000)
    return {
      benchmark: `image augmentation, ${count.toLocaleString('en')} images of ${side}×${side}, 3 operations (flip, brightness, crop)`,
      product: `${Math.round(ourRate).toLocaleString('en')} images/s (${(median(ours) / 1000).toFixed(2)} s, augment step: decode, 3 ops, PNG, blobs, Parquet)`,
      reference: `${Math.round(aloneRate).toLocaleString('en')} images/s (sharp alone: decode, resize to 224×224, PNG; ${imageConcurrency} at a time); ratio ${(ourRate / aloneRate).toFixed(2)}× (medians of 3)`,
      target: '≥ 0.5× of sharp alone',
    }
  } finally {
    await host.cleanup()
  }
}
