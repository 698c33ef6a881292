// The camera emulator's speed at 256×256: the ingest step as a worker runs it (render, PNG
// encode with sharp, keep each blob, write the image dataset) beside sharp alone encoding the
// same number of ready-made 256×256 raw images to PNG, with the same number of encodes in flight.
import { performance } from 'node:perf_hooks'
import { renderCameraImage, type CameraSettings } from '@/nodes/_lib/images/camera'
import type { RawImage } from '@/nodes/_lib/images/raw-image'
import { createTestContext } from '@/nodes/_lib/test-context'
import { cameraSettings, cameraSource } from '@/nodes/ingest/camera/definition'
import { encodePng } from '@/nodes/ingest/camera/png'
import { ingest } from '@/nodes/ingest/definition'
import { run } from '@/nodes/ingest/run'

const side = 256
const inFlight = 4
/** ready-made images for the reference, cycled: PNG's cost depends on content, so they are camera images */
const distinctImages = 64

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.floor(sorted.length / 2)]!
}

async function cameraStep(count: number, surface: CameraSettings['surface']): Promise<number> {
  const t = await createTestContext(ingest, { source: { type: 'camera', count, width: side, height: side, surface, seed: 7 } })
  try {
    const started = performance.now()
    await run(t.ctx)
    return performance.now() - started
  } finally {
    await t.cleanup()
  }
}

function renderOnly(count: number, settings: CameraSettings): number {
  const started = performance.now()
  for (let i = 0; i < count; i++) renderCameraImage(settings, i)
  return performance.now() - started
}

async function sharpAlone(count: number, images: readonly RawImage[]): Promise<number> {
  const started = performance.now()
  const pending: Promise<Buffer>[] = []
  for (let i = 0; i < count; i++) {
    pending.push(encodePng(images[i % images.length]!))
    if (pending.length >= inFlight) await pending.shift()
  }
  await Promise.all(pending)
  return performance.now() - started
}

const rate = (count: number, ms: number) => `${Math.round(count / (ms / 1000)).toLocaleString('en')} images/s`

export async function benchImages(): Promise<string> {
  const count = Number(process.env.BENCH_IMAGES ?? 2000)
  const settings = cameraSettings(cameraSource.parse({ type: 'camera', count, width: side, height: side, surface: 'mixed', seed: 7 }))
  const ready = Array.from({ length: distinctImages }, (_, i) => renderCameraImage(settings, i).image)
  // warm-up: JIT, sharp's thread pool, DuckDB
  await cameraStep(50, 'mixed')
  await sharpAlone(50, ready)
  const step: number[] = []
  const render: number[] = []
  const reference: number[] = []
  for (let i = 0; i < 3; i++) {
    reference.push(await sharpAlone(count, ready))
    step.push(await cameraStep(count, 'mixed'))
    render.push(renderOnly(Math.min(count, 500), settings))
  }
  const stepMs = median(step)
  const referenceMs = median(reference)
  const renderMs = median(render)
  const lines = [
    `camera emulator, ${count.toLocaleString('en')} images of ${side}×${side} (mixed surfaces, 30% defects; medians of 3)`,
    `  pipewright ingest step (render + PNG + blobs + Parquet): ${rate(count, stepMs)} (${(stepMs / 1000).toFixed(2)} s)`,
    `    of which rendering alone (one thread):               ${rate(Math.min(count, 500), renderMs)}`,
    `  reference, sharp alone encoding ready-made raw to PNG:  ${rate(count, referenceMs)} (${(referenceMs / 1000).toFixed(2)} s)`,
    `  ratio: ${(referenceMs / stepMs).toFixed(2)}× of sharp alone`,
  ]
  return lines.join('\n')
}
