'use client'
import { useEffect, useRef, useState } from 'react'
import { renderCameraImage, type CameraImage } from '../../_lib/images/camera'
import { toRgba } from '../../_lib/images/raw-image'
import { cameraSettings, cameraSource } from './definition'

/** How many images the panel shows; the worker renders the same ones first. */
export const previewCount = 8
/** Wait this long after the last edit before rendering again, so dragging a number stays smooth. */
const debounceMs = 300

export const defectColors: Record<string, string> = {
  scratch: '#ef4444',
  dust: '#f59e0b',
  smudge: '#a855f7',
  dent: '#06b6d4',
}

/**
 * The first eight images of a camera source, rendered in the browser by the same code the
 * worker runs, with their boxes and labels. Renders one image per task, so a large resolution
 * never freezes the panel; the previous images stay (dimmed) until the new ones are ready.
 */
export function CameraPreview({ source }: { source: unknown }) {
  const parsed = cameraSource.safeParse(source)
  const key = parsed.success ? JSON.stringify(parsed.data) : null
  const settledKey = useDebounced(key, debounceMs)
  const shots = useRenderedShots(settledKey)

  if (!parsed.success) {
    const issue = parsed.error.issues[0]
    return (
      <p role="status" className="text-xs text-zinc-500" data-testid="camera-preview-invalid">
        The preview appears once the settings are valid{issue ? ` (${[...issue.path].join('.') || 'source'}: ${issue.message})` : ''}.
      </p>
    )
  }
  const count = Math.min(previewCount, parsed.data.count)
  const current = shots.key === key ? shots.fresh : 0
  return (
    <section aria-label="Camera preview" data-testid="camera-preview">
      <h3 className="mb-2 text-xs font-medium text-zinc-600 dark:text-zinc-300">
        {`Preview: the first ${count} of ${parsed.data.count.toLocaleString('en')} images`}
      </h3>
      <div className="grid grid-cols-4 gap-2" aria-busy={current < count}>
        {Array.from({ length: count }, (_, index) => (
          <PreviewTile key={index} index={index} shot={shots.images[index]} stale={index >= current} />
        ))}
      </div>
    </section>
  )
}

function PreviewTile({ index, shot, stale }: { index: number; shot: CameraImage | undefined; stale: boolean }) {
  const canvas = useRef<HTMLCanvasElement>(null)
  useEffect(() => {
    const element = canvas.current
    if (element && shot) drawShot(element, shot)
  }, [shot])
  return (
    <figure className={stale ? 'opacity-50 transition-opacity' : 'transition-opacity'} data-testid="camera-preview-image">
      <canvas
        ref={canvas}
        width={shot?.image.width ?? 1}
        height={shot?.image.height ?? 1}
        aria-label={shot ? `Image ${index + 1}: ${shot.label}` : `Image ${index + 1}: rendering`}
        className="aspect-square w-full rounded bg-zinc-100 object-contain dark:bg-zinc-800"
      />
      <figcaption className="mt-0.5 truncate text-[11px] text-zinc-600 dark:text-zinc-300" title={shot ? boxSummary(shot) : undefined}>
        {shot ? (
          <>
            <span className="mr-1 inline-block size-2 rounded-full" style={{ background: defectColors[shot.label] ?? '#22c55e' }} />
            {shot.label}
            {shot.boxes.length > 1 ? ` +${shot.boxes.length - 1}` : ''}
          </>
        ) : (
          '…'
        )}
      </figcaption>
    </figure>
  )
}

function boxSummary(shot: CameraImage): string {
  if (shot.boxes.length === 0) return `${shot.surface}, no defect`
  return `${shot.surface}: ` + shot.boxes.map((b) => `${b.label} at ${b.x},${b.y} (${b.w}×${b.h})`).join('; ')
}

/** The image, then each box as an outline in its kind's colour, scaled to stay visible when the canvas is shrunk. */
export function drawShot(canvas: HTMLCanvasElement, shot: CameraImage) {
  const { width, height } = shot.image
  canvas.width = width
  canvas.height = height
  const context = canvas.getContext('2d')
  if (!context) return
  context.putImageData(new ImageData(toRgba(shot.image), width, height), 0, 0)
  context.lineWidth = Math.max(1, Math.round(Math.max(width, height) / 100))
  for (const box of shot.boxes) {
    context.strokeStyle = defectColors[box.label] ?? '#ffffff'
    context.strokeRect(box.x + 0.5, box.y + 0.5, box.w - 1, box.h - 1)
  }
}

function useDebounced<T>(value: T, delayMs: number): T {
  const [settled, setSettled] = useState(value)
  useEffect(() => {
    const timer = setTimeout(() => setSettled(value), delayMs)
    return () => clearTimeout(timer)
  }, [value, delayMs])
  return settled
}

interface Shots {
  /** the settings the newest images were rendered for */
  key: string | null
  /** by index: the new settings' image, or the previous settings' until it is replaced */
  images: CameraImage[]
  /** how many of `images` belong to `key` */
  fresh: number
}

/** Renders the preview images for a settings key, one per macrotask, abandoning them when the key changes. */
function useRenderedShots(key: string | null): Shots {
  const [shots, setShots] = useState<Shots>({ key: null, images: [], fresh: 0 })
  useEffect(() => {
    if (key === null) return
    const source = cameraSource.parse(JSON.parse(key))
    const settings = cameraSettings(source)
    const count = Math.min(previewCount, source.count)
    let index = 0
    let timer: ReturnType<typeof setTimeout>
    const renderNext = () => {
      const shot = renderCameraImage(settings, index)
      const fresh = ++index
      setShots((previous) => {
        const images = previous.images.slice(0, count)
        images[fresh - 1] = shot
        return { key, images, fresh }
      })
      if (index < count) timer = setTimeout(renderNext, 0)
    }
    timer = setTimeout(renderNext, 0)
    return () => clearTimeout(timer)
  }, [key])
  return shots
}
