import { renderCameraImage } from '../../_lib/images/camera'
import { writeImageDataset, type ImageRow } from '../../_lib/image-dataset'
import type { Executor } from '../../contract'
import type { ingest } from '../definition'
import { cameraSettings, type CameraSource } from './definition'
import { encodePng } from './png'

type IngestContext = Parameters<Executor<typeof ingest>>[0]

/**
 * How many images are encoded while the next is rendered: sharp encodes on its own threads,
 * so rendering (JavaScript, one thread) and encoding overlap; a few in flight are enough.
 */
const encodeWindow = 4

/** The camera source: renders `count` images, keeps each as a PNG blob, writes the image dataset. */
export async function runCamera(ctx: IngestContext, source: CameraSource): Promise<void> {
  const { log, progress, signal } = ctx
  const settings = cameraSettings(source)
  log('info', `Rendering ${source.count} ${source.surface} images of ${source.width}×${source.height} (seed ${source.seed}, defect rate ${source.defectRate})`)
  progress(0, 'Rendering images')

  const rows: ImageRow[] = []
  const inFlight: Promise<ImageRow>[] = []
  let lastReport = 0
  try {
    for (let index = 0; index < source.count; index++) {
      signal.throwIfAborted()
      inFlight.push(keep(ctx, settings, index))
      if (inFlight.length >= encodeWindow) rows.push(await inFlight.shift()!)
      const now = Date.now()
      if (now - lastReport >= 250) {
        lastReport = now
        progress((0.95 * index) / source.count, `Rendered ${index} of ${source.count} images`)
      }
    }
    while (inFlight.length > 0) rows.push(await inFlight.shift()!)
  } finally {
    // on cancel or failure, let the encodes still running finish before the scratch folder goes
    await Promise.allSettled(inFlight)
  }
  signal.throwIfAborted()

  progress(0.95, 'Writing the image dataset')
  await writeImageDataset(ctx.outputs.datasetPath('dataset'), rows, { workDir: ctx.workDir, extraColumns: { surface: 'VARCHAR' } })
  log('info', `Rendered ${rows.length} images: ${labelCounts(rows)}`)
  progress(1, 'Done')
}

function keep(ctx: IngestContext, settings: ReturnType<typeof cameraSettings>, index: number): Promise<ImageRow> {
  const shot = renderCameraImage(settings, index)
  const row = encodePng(shot.image)
    .then((bytes) => ctx.outputs.blob(bytes, 'image/png'))
    .then((image): ImageRow => ({ image, width: shot.image.width, height: shot.image.height, label: shot.label, boxes: shot.boxes, surface: shot.surface }))
  // awaited in order later; until then a failure must not count as unhandled
  row.catch(() => {})
  return row
}

function labelCounts(rows: readonly ImageRow[]): string {
  const counts = new Map<string, number>()
  for (const row of rows) counts.set(row.label, (counts.get(row.label) ?? 0) + 1)
  return [...counts].sort(([a], [b]) => a.localeCompare(b)).map(([label, count]) => `${count} ${label}`).join(', ')
}
