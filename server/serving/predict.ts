// Server-only: one request to a deployment, by records or by V2 tensors — routed to a version,
// run, checked by the fail-safe, its shadow run beside it, logged and counted.
import { performance } from 'node:perf_hooks'
import { routingState } from '@/server/deployments/deployments'
import { NotFoundError } from '@/server/errors'
import { logger } from '@/server/logger'
import { evaluateFailsafe, type FailsafeDecision, type ModelOutcome } from './failsafe'
import type { LiveDeployment, LiveDeployments, ServedVersion } from './live-deployments'
import type { LiveHealth } from './live-health'
import { loggable, newPredictionId, type PredictionLog } from './prediction-log'
import { decodeInferRequest, encodeInferAnswer, encodeInferResponse, type InferAnswer } from './protocol/v2'
import { decodeImageForm, decodeRecords, encodePredictions, inRecordOrder, type DecodedRecords, type Prediction } from './protocol/records'
import { route } from './routing'
import type { Outputs } from './runtime'

export interface Serving {
  deployments: LiveDeployments
  log: PredictionLog
  health: LiveHealth
}

export interface RequestOptions {
  /** the caller's sticky routing key (header `X-Pipewright-Key`) */
  key?: string
  /** `records`, `v2`, or the broker a message came through */
  protocol: string
}

export type RecordPrediction = Prediction & { id: string; fallback: boolean; reason?: string; detail?: string; needsHuman?: true; message?: string }

export interface RecordsAnswer {
  modelVersion: number
  predictions: RecordPrediction[]
  /** columns of the records the model does not read */
  ignored?: string[]
}

/** The version a request gets, and the one that runs beside it in the shadow. */
function choose(live: LiveDeployment, key: string | undefined): { answer: ServedVersion; shadow: ServedVersion | undefined } {
  const decision = route(routingState(live.row), { salt: live.row.id, ...(key ? { key } : {}) })
  return { answer: live.versions.get(decision.answer)!, shadow: decision.shadow === undefined ? undefined : live.versions.get(decision.shadow) }
}

async function runRecords(served: ServedVersion, decoded: DecodedRecords): Promise<Prediction[]> {
  const parts = await Promise.all(
    decoded.groups.map(async (group) => ({ rows: group.rows, predictions: encodePredictions((await served.model.infer(group.feeds)).outputs, served.metadata, group.rows) })),
  )
  return inRecordOrder(parts)
}

function outcomeOf(prediction: Prediction): ModelOutcome {
  return 'value' in prediction
    ? { ...(prediction.value === null ? {} : { value: prediction.value }) }
    : { label: prediction.label, scores: Object.fromEntries(Object.entries(prediction.scores).map(([k, v]) => [k, v ?? Number.NaN])) }
}

/** The model's answer, or the fail-safe's in its place (marked, with why). */
function withFailsafe(live: LiveDeployment, served: ServedVersion, record: Record<string, unknown>, prediction: Prediction | null, failure: Error | null): RecordPrediction {
  const id = newPredictionId()
  const outcome: ModelOutcome = prediction ? outcomeOf(prediction) : { error: failure?.name === 'InferenceTimeoutError' ? 'timeout' : 'model-error', message: failure?.message ?? 'no answer' }
  const decision: FailsafeDecision = live.failsafe ? evaluateFailsafe(live.failsafe, { metadata: served.metadata, record, outcome }) : { fallback: false }
  if (!decision.fallback) {
    if (!prediction) throw failure!
    return { ...prediction, id, fallback: false }
  }
  const answer = decision.answer
  const base = { id, fallback: true as const, reason: decision.reason, detail: decision.detail }
  if ('needsHuman' in answer) return { label: '', scores: {}, ...base, needsHuman: true, message: answer.message }
  if ('label' in answer) return { label: answer.label, scores: prediction && 'scores' in prediction ? prediction.scores : {}, ...base }
  return { value: answer.value, ...base }
}

/** Records as JSON (`{ records: [...] }`), or images as a multipart form (field `image`). */
export type RecordsInput = { json: unknown } | { form: FormData }

function decodeInput(input: RecordsInput, served: ServedVersion): Promise<DecodedRecords> {
  return 'form' in input ? decodeImageForm(input.form, served.metadata) : decodeRecords(input.json, served.metadata)
}

export async function predictRecords(serving: Serving, live: LiveDeployment, input: RecordsInput, options: RequestOptions): Promise<RecordsAnswer> {
  const started = performance.now()
  const { answer, shadow } = choose(live, options.key)
  const counted = { deploymentId: live.row.id, version: answer.version }
  let failedAll = false
  try {
    const decoded = await decodeInput(input, answer)
    let predictions: (Prediction | null)[]
    let failure: Error | null = null
    try {
      predictions = await runRecords(answer, decoded)
    } catch (error) {
      // a caller's bad input is theirs to hear about; the model failing is the fail-safe's to answer
      if (!live.failsafe || (error as Error).name === 'InvalidFeedsError') throw error
      failure = error as Error
      predictions = decoded.raw.map(() => null)
    }
    const answered = predictions.map((p, i) => withFailsafe(live, answer, decoded.raw[i]!, p, failure))
    const latencyMs = performance.now() - started
    const fallbacks = answered.filter((p) => p.fallback).length
    serving.health.record(counted, { latencyMs, error: false, fallback: fallbacks > 0 })
    logRecords(serving, live, answer.version, options.protocol, decoded, answered, latencyMs, false)
    if (shadow) void shadowRecords(serving, live, shadow, input, options.protocol)
    return { modelVersion: answer.version, predictions: answered, ...(decoded.ignored.length ? { ignored: decoded.ignored } : {}) }
  } catch (error) {
    failedAll = true
    throw error
  } finally {
    if (failedAll) serving.health.record(counted, { latencyMs: performance.now() - started, error: true, fallback: false })
  }
}

function logRecords(serving: Serving, live: LiveDeployment, version: number, protocol: string, decoded: DecodedRecords, answered: readonly RecordPrediction[], latencyMs: number, shadow: boolean): void {
  if (Math.random() >= live.row.logSample) return
  answered.forEach((p, i) => {
    serving.log.add({
      id: p.id,
      deploymentId: live.row.id,
      modelVersion: version,
      protocol,
      inputs: loggable(decoded.raw[i]),
      outputs: loggable(p),
      latencyMs,
      fallback: p.fallback,
      fallbackReason: p.reason ?? null,
      shadow,
    })
  })
}

/** A shadow's runs count for its version's health, not for the deployment's: no caller got them. */
function shadowKey(live: LiveDeployment, shadow: ServedVersion) {
  return { deploymentId: live.row.id, version: shadow.version, shadow: true }
}

/** The shadow's answer is logged beside the real one, never returned; its failure harms no caller. */
async function shadowRecords(serving: Serving, live: LiveDeployment, shadow: ServedVersion, input: RecordsInput, protocol: string): Promise<void> {
  const started = performance.now()
  try {
    const decoded = await decodeInput(input, shadow)
    const predictions = await runRecords(shadow, decoded)
    const answered = predictions.map((p) => ({ ...p, id: newPredictionId(), fallback: false }))
    const latencyMs = performance.now() - started
    serving.health.record(shadowKey(live, shadow), { latencyMs, error: false, fallback: false })
    logRecords(serving, live, shadow.version, protocol, decoded, answered, latencyMs, true)
  } catch (error) {
    serving.health.record(shadowKey(live, shadow), { latencyMs: performance.now() - started, error: true, fallback: false })
    logger.warn({ err: error, deployment: live.row.name, version: shadow.version }, 'shadow: the challenger failed on a request')
  }
}

/** A V2 inference request as it arrived: its JSON, and for the binary extension the bytes after it. */
export interface V2Request {
  body: unknown
  binaryTail?: Uint8Array
  /** outputs the client wants as bytes after the JSON */
  binaryOutputs?: (name: string) => boolean
}

/** V2 `infer`: a named version (when given, it must be one the deployment serves) or the routed one. */
export async function inferV2(serving: Serving, live: LiveDeployment, version: number | undefined, request: V2Request, options: RequestOptions): Promise<InferAnswer> {
  const started = performance.now()
  const name = live.row.name
  const chosen = version === undefined ? choose(live, options.key) : { answer: servedVersion(live, version), shadow: undefined }
  const counted = { deploymentId: live.row.id, version: chosen.answer.version }
  try {
    const decoded = decodeInferRequest(request.body, chosen.answer.metadata, request.binaryTail ? { binaryTail: request.binaryTail } : {})
    const result = await chosen.answer.model.infer(decoded.feeds)
    const answer = encodeInferAnswer({
      modelName: name,
      modelVersion: String(chosen.answer.version),
      ...(decoded.id !== undefined ? { id: decoded.id } : {}),
      outputs: result.outputs,
      ...(decoded.requestedOutputs ? { requestedOutputs: decoded.requestedOutputs } : {}),
      ...(request.binaryOutputs ? { binaryOutputs: request.binaryOutputs } : {}),
    })
    const latencyMs = performance.now() - started
    serving.health.record(counted, { latencyMs, error: false, fallback: false })
    logTensors(serving, live, chosen.answer.version, request.body, answer.response, latencyMs, false)
    if (chosen.shadow) void shadowTensors(serving, live, chosen.shadow, request)
    return answer
  } catch (error) {
    serving.health.record(counted, { latencyMs: performance.now() - started, error: true, fallback: false })
    throw error
  }
}

export function servedVersion(live: LiveDeployment, version: number): ServedVersion {
  const served = live.versions.get(version)
  if (!served) throw new NotFoundError(`Deployment "${live.row.name}" does not serve version ${version}; it serves ${[...live.versions.keys()].join(' and ')}.`)
  return served
}

function logTensors(serving: Serving, live: LiveDeployment, version: number, body: unknown, response: unknown, latencyMs: number, shadow: boolean): void {
  if (Math.random() >= live.row.logSample) return
  const inputs = typeof body === 'object' && body !== null && 'inputs' in body ? (body as { inputs: unknown }).inputs : body
  serving.log.add({ id: newPredictionId(), deploymentId: live.row.id, modelVersion: version, protocol: 'v2', inputs: loggable(inputs), outputs: loggable(response), latencyMs, shadow })
}

async function shadowTensors(serving: Serving, live: LiveDeployment, shadow: ServedVersion, request: V2Request): Promise<void> {
  const started = performance.now()
  try {
    const decoded = decodeInferRequest(request.body, shadow.metadata, request.binaryTail ? { binaryTail: request.binaryTail } : {})
    const result: { outputs: Outputs } = await shadow.model.infer(decoded.feeds)
    const response = encodeInferResponse({ modelName: live.row.name, modelVersion: String(shadow.version), outputs: result.outputs })
    const latencyMs = performance.now() - started
    serving.health.record(shadowKey(live, shadow), { latencyMs, error: false, fallback: false })
    logTensors(serving, live, shadow.version, request.body, response, latencyMs, true)
  } catch (error) {
    serving.health.record(shadowKey(live, shadow), { latencyMs: performance.now() - started, error: true, fallback: false })
    logger.warn({ err: error, deployment: live.row.name, version: shadow.version }, 'shadow: the challenger failed on a request')
  }
}
