// Server-only: what the V2 (Open Inference Protocol) routes do, shared by the routes with and
// without `/versions/{version}`. `{name}` is the deployment's name, as a KServe InferenceService's
// name is its model's; `versions` are the model versions it serves.
import { requireDeploymentName, requireVersionNumber } from '@/server/http/ids'
import type { InferenceArgs } from './inference-route'
import type { LiveDeployment } from './live-deployments'
import { inferV2, servedVersion, type V2Request } from './predict'
import { modelMetadataResponse } from './protocol/v2'
import { binaryAnswer, binaryOutputsWanted, inferenceHeaderLength, splitBinaryBody } from './protocol/v2-binary'

export interface V2Params {
  name: string
  version?: string
}

function versionOf(params: V2Params): number | undefined {
  return params.version === undefined ? undefined : requireVersionNumber(params.version)
}

function servedNames(live: LiveDeployment): string[] {
  return [...live.versions.keys()].map(String)
}

export async function v2Metadata({ params, open }: InferenceArgs<V2Params>) {
  const live = await open(requireDeploymentName(params.name))
  const version = versionOf(params)
  const served = servedVersion(live, version ?? live.row.stableVersion)
  return modelMetadataResponse(live.row.name, version === undefined ? servedNames(live) : [String(version)], served.metadata)
}

/** Ready once its versions are loaded and warm: `open` loads them on the first call in a process. */
export async function v2Ready({ params, open }: InferenceArgs<V2Params>) {
  const live = await open(requireDeploymentName(params.name))
  const version = versionOf(params)
  if (version !== undefined) servedVersion(live, version)
  return { name: live.row.name, ...(version !== undefined ? { version: String(version) } : {}), ready: true }
}

/** The request as JSON, or as the binary extension when `Inference-Header-Content-Length` says where its JSON ends. */
async function readV2Request({ request, json, bytes }: InferenceArgs<V2Params>): Promise<V2Request> {
  const headerLength = request.headers.get(inferenceHeaderLength)
  const body = headerLength === null ? { body: await json() } : splitBinaryBody(await bytes(), headerLength)
  const { header, tail } = 'header' in body ? body : { header: body.body, tail: undefined }
  const binaryOutputs = binaryOutputsWanted(header)
  return { body: header, ...(tail ? { binaryTail: tail } : {}), ...(binaryOutputs ? { binaryOutputs } : {}) }
}

export async function v2Infer(args: InferenceArgs<V2Params>) {
  const { params, open, serving, key } = args
  const live = await open(requireDeploymentName(params.name))
  const version = versionOf(params)
  const { response, binaries } = await inferV2(serving, live, version, await readV2Request(args), { protocol: 'v2', ...(key ? { key } : {}) })
  if (binaries.length === 0) return response
  const answer = binaryAnswer(response, binaries)
  return new Response(answer.body, { headers: { 'content-type': 'application/octet-stream', [inferenceHeaderLength]: String(answer.headerLength) } })
}
