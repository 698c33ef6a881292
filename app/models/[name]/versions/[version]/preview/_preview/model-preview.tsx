'use client'
import { useCallback, useEffect, useRef, useState } from 'react'
import { Loader2 } from 'lucide-react'
import { Alert } from '@/app/_components/alert'
import type { ModelMetadata } from '@/nodes/_lib/models/metadata'
import { answerOf, type Answer } from './answer'
import type { FeedTensor, RecordValue, TabularFeeds } from './feeds'
import { imageInput } from './feeds'
import { imageFeed, rgbToRgba } from './image-tensor'
import { ImageInput, pngBase64, type PickedImage } from './image-input'
import { formatMegabytes, modelBytes } from './model-bytes'
import { ResultView, type Latency } from './result-view'
import { createSession, measureRuns, runOnce, type Session } from './runtime'
import { ServerCompare } from './server-compare'
import { TabularForm } from './tabular-form'
import { threadModeText, type ThreadMode } from './threads'

export interface PreviewModel {
  name: string
  version: number
  /** the artifact id: the sha256 of the ONNX bytes, the cache key */
  sha256: string
  sizeBytes: number
  metadata: ModelMetadata
}

const timedRuns = 20

type Loaded =
  | { phase: 'loading'; text: string }
  | { phase: 'ready'; session: Session; createMs: number; note: string; mode: ThreadMode }
  | { phase: 'failed'; error: string }

/** Downloads (or reads from the cache) and opens the model once per page. */
function useSession(model: PreviewModel): Loaded {
  const [loaded, setLoaded] = useState<Loaded>({ phase: 'loading', text: 'Loading onnxruntime-web…' })
  useEffect(() => {
    let live = true
    let opened: Session | undefined
    const progress = (text: string) => live && setLoaded({ phase: 'loading', text })
    ;(async () => {
      const contentUrl = `/api/v1/models/${encodeURIComponent(model.name)}/versions/${model.version}/content`
      const { bytes, cached } = await modelBytes({ contentUrl, sha256: model.sha256, sizeBytes: model.sizeBytes }, progress)
      progress(`Creating the session (${formatMegabytes(bytes.byteLength)})…`)
      const { session, createMs, mode } = await createSession(bytes)
      opened = session
      if (!live) return void session.release()
      setLoaded({ phase: 'ready', session, createMs, mode, note: `${formatMegabytes(bytes.byteLength)}, ${cached ? 'from this browser’s cache' : 'downloaded'}; onnxruntime-web` })
    })().catch((error: unknown) => live && setLoaded({ phase: 'failed', error: error instanceof Error ? error.message : String(error) }))
    return () => {
      live = false
      void opened?.release()
    }
  }, [model.name, model.version, model.sha256, model.sizeBytes])
  return loaded
}

interface RunState {
  answer: Answer | null
  latency: Latency | null
  error: string | null
  /** the record the server takes for the same input */
  record: (() => Promise<Record<string, RecordValue>>) | null
}

export function ModelPreview({ model, deployment }: { model: PreviewModel; deployment: string | null }) {
  const loaded = useSession(model)
  const [run, setRun] = useState<RunState>({ answer: null, latency: null, error: null, record: null })
  const [busy, setBusy] = useState(false)
  const [picked, setPicked] = useState<PickedImage | null>(null)
  const runId = useRef(0)
  const image = imageInput(model.metadata)

  const predict = useCallback(
    async (feeds: Record<string, FeedTensor>, record: RunState['record']) => {
      if (loaded.phase !== 'ready') return
      const id = ++runId.current
      setBusy(true)
      try {
        const outputs = await runOnce(loaded.session, feeds)
        const latency = { createMs: loaded.createMs, p50Ms: null, runs: timedRuns }
        setRun({ answer: answerOf(model.metadata, outputs), latency, error: null, record })
        const p50Ms = await measureRuns(loaded.session, feeds, timedRuns)
        if (id === runId.current) setRun((previous) => ({ ...previous, latency: { ...latency, p50Ms } }))
      } catch (error) {
        setRun({ answer: null, latency: null, error: error instanceof Error ? error.message : String(error), record: null })
      } finally {
        setBusy(false)
      }
    },
    [loaded, model.metadata],
  )

  const runTabular = (input: TabularFeeds) => void predict(input.feeds, async () => input.record)
  const runImage = (next: PickedImage) => {
    if (!image) return
    setPicked(next)
    void predict({ [image.name]: imageFeed(next.image) }, async () => ({ [image.name]: await pngBase64(next.image) }))
  }

  return (
    <div className="space-y-6">
      <LoadLine loaded={loaded} />
      <div className="grid gap-6 lg:grid-cols-[3fr_2fr]">
        <section className="card p-4" aria-label="Input">
          <h2 className="mb-3 text-sm font-semibold text-zinc-700">{image ? 'Image' : 'Inputs'}</h2>
          {image ? (
            <div className="space-y-3">
              <ImageInput input={image} onImage={runImage} busy={busy || loaded.phase !== 'ready'} />
              {picked ? <PickedPreview picked={picked} /> : null}
            </div>
          ) : (
            <TabularForm metadata={model.metadata} busy={busy || loaded.phase !== 'ready'} onRun={runTabular} />
          )}
        </section>
        <section className="card p-4" aria-label="Result">
          <h2 className="mb-3 text-sm font-semibold text-zinc-700">Browser answer</h2>
          {run.error ? (
            <Alert testId="preview-run-error" title="The model could not run on this input">
              {run.error}
            </Alert>
          ) : run.answer && run.latency ? (
            <ResultView answer={run.answer} latency={run.latency} task={model.metadata.task} />
          ) : (
            <p className="text-sm text-zinc-500">{image ? 'Pick an image to see what the model says.' : 'Fill the form and press Predict.'}</p>
          )}
        </section>
      </div>
      <section className="card p-4" aria-label="Compare with the server">
        <h2 className="mb-1 text-sm font-semibold text-zinc-700">Compare with the server</h2>
        {deployment ? (
          <ServerCompare key={`${deployment}-${run.answer ? runId.current : 0}`} deployment={deployment} answer={run.answer} record={run.record} />
        ) : (
          <form method="get" className="flex flex-wrap items-center gap-2 text-sm text-zinc-500" data-testid="preview-compare-hint">
            <span>Send the same input to a deployment and see how far its answer is from the browser’s:</span>
            <input name="deployment" aria-label="Deployment name" placeholder="deployment name" className="input w-48 font-mono" required pattern="[a-z0-9][a-z0-9-]*" />
            <button type="submit" className="btn-secondary">
              Use this deployment
            </button>
          </form>
        )}
      </section>
    </div>
  )
}

function LoadLine({ loaded }: { loaded: Loaded }) {
  if (loaded.phase === 'failed') return <Alert testId="preview-load-error" title="The model could not be opened in the browser">{loaded.error}</Alert>
  if (loaded.phase === 'loading')
    return (
      <p className="flex items-center gap-2 text-sm text-zinc-600" role="status" data-testid="preview-progress">
        <Loader2 className="size-4 animate-spin" aria-hidden /> {loaded.text}
      </p>
    )
  return (
    <p className="text-sm text-zinc-500" role="status" data-testid="preview-ready">
      Ready: {loaded.note},{' '}
      <span className="font-mono" data-testid="preview-threads" data-threads={loaded.mode.threads} data-isolated={String(loaded.mode.isolated)}>
        {threadModeText(loaded.mode)}
      </span>
      .
    </p>
  )
}

function PickedPreview({ picked }: { picked: PickedImage }) {
  const canvas = useRef<HTMLCanvasElement>(null)
  useEffect(() => {
    const element = canvas.current
    if (!element) return
    const { width, height } = picked.image
    element.width = width
    element.height = height
    element.getContext('2d')?.putImageData(new ImageData(rgbToRgba(picked.image), width, height), 0, 0)
  }, [picked])
  return (
    <figure>
      <canvas ref={canvas} className="max-h-64 max-w-full rounded border border-zinc-200 [image-rendering:pixelated]" style={{ width: Math.min(256, picked.image.width * 4) }} data-testid="preview-image" />
      <figcaption className="mt-1 text-xs text-zinc-500">
        Scored: <span data-testid="preview-image-source">{picked.source}</span>
      </figcaption>
    </figure>
  )
}
