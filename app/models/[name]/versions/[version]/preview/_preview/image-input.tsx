'use client'
import { useEffect, useRef, useState, type DragEvent } from 'react'
import { Camera, ImageUp, Sparkles } from 'lucide-react'
import clsx from 'clsx'
import type { TensorSignature } from '@/nodes/_lib/models/metadata'
import { goodLabel, renderCameraImage } from '@/nodes/_lib/images/camera'
import { cameraSettings, cameraSource } from '@/nodes/ingest/camera/definition'
import { drawSize, rgbaToRgb, rgbToRgba, type RgbImage } from './image-tensor'

type Mode = 'file' | 'webcam' | 'emulator'

export interface PickedImage {
  image: RgbImage
  /** where it came from, shown under the picture */
  source: string
}

/** Pixels of a canvas region as RGB. */
function canvasPixels(canvas: HTMLCanvasElement): RgbImage {
  const context = canvas.getContext('2d', { willReadFrequently: true })!
  const { data } = context.getImageData(0, 0, canvas.width, canvas.height)
  return rgbaToRgb(data, canvas.width, canvas.height)
}

function drawToCanvas(source: CanvasImageSource, natural: { width: number; height: number }, input: TensorSignature): RgbImage {
  const size = drawSize(natural, input)
  const canvas = document.createElement('canvas')
  canvas.width = size.width
  canvas.height = size.height
  const context = canvas.getContext('2d', { willReadFrequently: true })!
  context.drawImage(source, 0, 0, size.width, size.height)
  return canvasPixels(canvas)
}

/** The same pixels as a PNG, base64: what the server's predict route takes for an image column. */
export async function pngBase64(image: RgbImage): Promise<string> {
  const canvas = document.createElement('canvas')
  canvas.width = image.width
  canvas.height = image.height
  canvas.getContext('2d')!.putImageData(new ImageData(rgbToRgba(image), image.width, image.height), 0, 0)
  const blob = await new Promise<Blob | null>((resolve) => canvas.toBlob(resolve, 'image/png'))
  if (!blob) throw new Error('The browser could not encode the image as PNG.')
  const bytes = new Uint8Array(await blob.arrayBuffer())
  let binary = ''
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000))
  return btoa(binary)
}

/** Drop or pick a file, take a webcam frame, or render one from the camera emulator. */
export function ImageInput({ input, onImage, busy }: { input: TensorSignature; onImage: (picked: PickedImage) => void; busy: boolean }) {
  const [mode, setMode] = useState<Mode>('file')
  const tabs: { mode: Mode; label: string; Icon: typeof Camera }[] = [
    { mode: 'file', label: 'Image file', Icon: ImageUp },
    { mode: 'webcam', label: 'Webcam', Icon: Camera },
    { mode: 'emulator', label: 'Camera emulator', Icon: Sparkles },
  ]
  return (
    <div className="space-y-3">
      <div role="tablist" aria-label="Image source" className="inline-flex rounded-md border border-zinc-200 bg-zinc-50 p-0.5">
        {tabs.map(({ mode: m, label, Icon }) => (
          <button key={m} type="button" role="tab" aria-selected={mode === m} data-testid={`preview-source-${m}`} onClick={() => setMode(m)} className={clsx('inline-flex items-center gap-1.5 rounded px-3 py-1 text-sm', mode === m ? 'bg-white font-medium shadow-xs' : 'text-zinc-600 hover:text-zinc-900')}>
            <Icon className="size-4" aria-hidden /> {label}
          </button>
        ))}
      </div>
      {mode === 'file' ? <FileDrop input={input} onImage={onImage} busy={busy} /> : mode === 'webcam' ? <Webcam input={input} onImage={onImage} busy={busy} /> : <Emulator input={input} onImage={onImage} busy={busy} />}
    </div>
  )
}

type SourceProps = { input: TensorSignature; onImage: (picked: PickedImage) => void; busy: boolean }

function FileDrop({ input, onImage, busy }: SourceProps) {
  const [over, setOver] = useState(false)
  const [error, setError] = useState<string | null>(null)
  async function take(file: File | undefined) {
    if (!file) return
    setError(null)
    try {
      // no colour management: the server decodes the PNG's bytes as they are, so must the browser
      const bitmap = await createImageBitmap(file, { colorSpaceConversion: 'none', premultiplyAlpha: 'none' })
      const image = drawToCanvas(bitmap, bitmap, input)
      const resized = image.width !== bitmap.width || image.height !== bitmap.height
      onImage({ image, source: `${file.name}, ${bitmap.width}×${bitmap.height}${resized ? `, drawn at ${image.width}×${image.height}` : ''}` })
      bitmap.close()
    } catch {
      setError(`“${file.name}” is not an image this browser can read (PNG, JPEG, WebP, GIF, BMP).`)
    }
  }
  function drop(event: DragEvent) {
    event.preventDefault()
    setOver(false)
    void take(event.dataTransfer.files[0])
  }
  return (
    <div>
      <label
        onDragOver={(e) => {
          e.preventDefault()
          setOver(true)
        }}
        onDragLeave={() => setOver(false)}
        onDrop={drop}
        className={clsx('flex cursor-pointer flex-col items-center justify-center gap-1 rounded-lg border-2 border-dashed px-4 py-8 text-sm', over ? 'border-accent-500 bg-accent-50' : 'border-zinc-300 bg-zinc-50 hover:bg-zinc-100', busy && 'opacity-60')}
        data-testid="preview-drop"
      >
        <ImageUp className="size-6 text-zinc-400" aria-hidden />
        <span className="font-medium text-zinc-700">Drop an image here, or click to pick a file</span>
        <span className="text-xs text-zinc-500">It is fed at its own size; the model resizes it inside.</span>
        <input type="file" accept="image/*" className="sr-only" data-testid="preview-file" disabled={busy} onChange={(e) => void take(e.target.files?.[0])} />
      </label>
      {error ? <p className="mt-2 text-sm text-red-600" role="alert">{error}</p> : null}
    </div>
  )
}

/** What getUserMedia's refusals mean to a person. */
function cameraError(error: unknown): string {
  const name = error instanceof DOMException ? error.name : ''
  if (name === 'NotAllowedError' || name === 'SecurityError') return 'Camera permission was denied. Allow the camera for this site in the browser’s address bar, then try again.'
  if (name === 'NotFoundError' || name === 'OverconstrainedError') return 'No camera was found on this device.'
  if (name === 'NotReadableError') return 'The camera is in use by another application.'
  return `The camera could not be started${error instanceof Error && error.message ? `: ${error.message}` : '.'}`
}

function Webcam({ input, onImage, busy }: SourceProps) {
  const video = useRef<HTMLVideoElement>(null)
  const [stream, setStream] = useState<MediaStream | null>(null)
  const [error, setError] = useState<string | null>(null)
  useEffect(() => () => stream?.getTracks().forEach((track) => track.stop()), [stream])

  async function start() {
    setError(null)
    if (!navigator.mediaDevices?.getUserMedia) {
      setError('This browser offers no camera here: cameras work only on https pages or on localhost.')
      return
    }
    try {
      const opened = await navigator.mediaDevices.getUserMedia({ video: true, audio: false })
      setStream(opened)
      if (video.current) {
        video.current.srcObject = opened
        await video.current.play()
      }
    } catch (e) {
      setError(cameraError(e))
    }
  }
  function capture() {
    const element = video.current
    if (!element || element.videoWidth === 0) return
    const natural = { width: element.videoWidth, height: element.videoHeight }
    const image = drawToCanvas(element, natural, input)
    onImage({ image, source: `webcam frame, ${natural.width}×${natural.height}${image.width !== natural.width ? `, drawn at ${image.width}×${image.height}` : ''}` })
  }
  return (
    <div className="space-y-2">
      <video ref={video} muted playsInline className={clsx('max-h-64 rounded bg-black', !stream && 'hidden')} />
      <div className="flex gap-2">
        {stream ? (
          <button type="button" className="btn-primary" onClick={capture} disabled={busy} data-testid="preview-webcam-capture">
            <Camera className="size-4" aria-hidden /> Take this frame
          </button>
        ) : (
          <button type="button" className="btn-secondary" onClick={() => void start()} data-testid="preview-webcam-start">
            <Camera className="size-4" aria-hidden /> Start the camera
          </button>
        )}
      </div>
      {error ? <p className="text-sm text-red-600" role="alert" data-testid="preview-webcam-error">{error}</p> : null}
    </div>
  )
}

function Emulator({ input, onImage, busy }: SourceProps) {
  const [index, setIndex] = useState(0)
  const [surface, setSurface] = useState<'brushed-metal' | 'mixed'>('mixed')
  const defaults = cameraSource.parse({ type: 'camera' })
  const size = drawSize({ width: 128, height: 128 }, input)
  function render() {
    const shot = renderCameraImage(cameraSettings({ ...defaults, surface, width: size.width, height: size.height, defectRate: 0.5 }), index)
    onImage({ image: { width: shot.image.width, height: shot.image.height, rgb: new Uint8Array(shot.image.data.buffer, shot.image.data.byteOffset, shot.image.data.byteLength) }, source: `camera emulator frame ${index + 1} (${shot.surface}, ${shot.label === goodLabel ? 'no defect' : `a ${shot.label} painted on`}), ${shot.image.width}×${shot.image.height}` })
    setIndex(index + 1)
  }
  return (
    <div className="flex flex-wrap items-center gap-3">
      <select className="input w-auto" value={surface} onChange={(e) => setSurface(e.target.value as 'brushed-metal' | 'mixed')} aria-label="Surface">
        <option value="mixed">mixed surfaces</option>
        <option value="brushed-metal">brushed metal</option>
      </select>
      <button type="button" className="btn-primary" onClick={render} disabled={busy} data-testid="preview-emulator-frame">
        <Sparkles className="size-4" aria-hidden /> Draw frame {index + 1}
      </button>
      <span className="text-xs text-zinc-500">The emulator the camera ingest source uses, half of its frames with a defect.</span>
    </div>
  )
}
