import type { ModelMetadata } from '@/nodes/_lib/models/metadata'
import { CopyButton } from '@/app/_components/copy-button'

/** One example record from the model's raw features: the training mean or most common category where known. */
export function exampleRecord(metadata: ModelMetadata): Record<string, number | string> {
  const profiles = new Map((metadata.referenceProfile ?? []).map((p) => [p.name, p]))
  const record: Record<string, number | string> = {}
  for (const feature of metadata.features) {
    const profile = profiles.get(feature.name)
    if (feature.kind === 'number') record[feature.name] = profile?.kind === 'number' ? Number(profile.mean.toPrecision(4)) : 0
    else if (feature.kind === 'category') record[feature.name] = (profile?.kind === 'category' ? profile.categories[0]?.value : undefined) ?? feature.categories[0] ?? ''
  }
  return record
}

const v2Datatypes: Record<string, string> = { float32: 'FP32', float64: 'FP64', int64: 'INT64', int32: 'INT32', uint8: 'UINT8', bool: 'BOOL', string: 'BYTES' }

/** A V2 request of one row of zeros per input: for models without a training profile (imported), whose records shape is unknown here. */
function v2Body(metadata: ModelMetadata): string {
  const inputs = metadata.inputs.map((input) => {
    const shape = input.shape.map((d) => (typeof d === 'number' && d > 0 ? d : 1))
    const size = shape.reduce((n, d) => n * d, 1)
    return { name: input.name, datatype: v2Datatypes[input.type] ?? 'FP32', shape, data: Array.from({ length: size }, () => 0) }
  })
  return JSON.stringify({ inputs })
}

function curlFor(origin: string, name: string, metadata: ModelMetadata, isPublic: boolean): string {
  const auth = isPublic ? '' : " \\\n  -H 'authorization: Bearer $PIPEWRIGHT_TOKEN'"
  const image = metadata.features.find((f) => f.kind === 'image')
  if (image) return `curl -X POST ${origin}/api/v1/deployments/${name}/predict${auth} \\\n  -F image=@picture.png`
  if (!metadata.referenceProfile) {
    return `curl -X POST ${origin}/v2/models/${name}/infer${auth} \\\n  -H 'content-type: application/json' \\\n  -d '${v2Body(metadata).replaceAll("'", "'\\''")}'`
  }
  const body = JSON.stringify({ records: [exampleRecord(metadata)] })
  return `curl -X POST ${origin}/api/v1/deployments/${name}/predict${auth} \\\n  -H 'content-type: application/json' \\\n  -d '${body.replaceAll("'", "'\\''")}'`
}

function Url({ method, url, what, testId }: { method: string; url: string; what: string; testId: string }) {
  return (
    <div>
      <div className="text-xs text-zinc-500">{what}</div>
      <div className="mt-0.5 flex items-center gap-2">
        <code className="min-w-0 flex-1 break-all rounded bg-zinc-50 px-2 py-1 font-mono text-xs text-zinc-800 ring-1 ring-zinc-200" data-testid={testId} title={url}>
          <span className="font-semibold text-zinc-500">{method}</span> {url}
        </code>
        <CopyButton value={url} />
      </div>
    </div>
  )
}

/** Where to send requests, exactly, and one curl that works as it stands. */
export function Endpoints({ origin, name, metadata, isPublic }: { origin: string; name: string; metadata: ModelMetadata; isPublic: boolean }) {
  const curl = curlFor(origin, name, metadata, isPublic)
  return (
    <div className="card space-y-3 p-4" data-testid="endpoints">
      <Url method="POST" url={`${origin}/v2/models/${name}/infer`} what="Open Inference Protocol (KServe / Triton V2): tensors by input name" testId="endpoint-v2" />
      <Url method="POST" url={`${origin}/api/v1/deployments/${name}/predict`} what="Records: rows by column name, answers with labels and scores" testId="endpoint-records" />
      <div>
        <div className="flex items-center justify-between text-xs text-zinc-500">
          <span>Try it{isPublic ? ' (public: no token needed)' : ': with an API token from the Tokens page'}</span>
          <CopyButton value={curl} label="Copy curl" />
        </div>
        <pre className="mt-1 overflow-x-auto rounded whitespace-pre-wrap break-all bg-zinc-900 p-3 font-mono text-xs leading-relaxed text-zinc-100" data-testid="curl-example">
          {curl}
        </pre>
      </div>
    </div>
  )
}
