// What the serving suite calls with: the routes, the rows of the test model, and its own
// requests (JSON, binary, health), shared by its PGlite and PostgreSQL runs.
import ort from 'onnxruntime-node'
import { vi } from 'vitest'
import { servingHostOf } from '@/server/serving/host'
import { getServices } from '@/server/services'
import { call } from '../harness/routes'

export const i = (id: string) => Number(id.split('-').at(-1))

export const routes = {
  setup: await import('@/app/api/v1/setup/route'),
  deployments: await import('@/app/api/v1/deployments/route'),
  deployment: await import('@/app/api/v1/deployments/[name]/route'),
  rollout: await import('@/app/api/v1/deployments/[name]/rollout/route'),
  rollback: await import('@/app/api/v1/deployments/[name]/rollback/route'),
  promote: await import('@/app/api/v1/deployments/[name]/promote/route'),
  predict: await import('@/app/api/v1/deployments/[name]/predict/route'),
  health: await import('@/app/api/v1/deployments/[name]/health/route'),
  server: await import('@/app/v2/route'),
  live: await import('@/app/v2/health/live/route'),
  ready: await import('@/app/v2/health/ready/route'),
  model: await import('@/app/v2/models/[name]/route'),
  modelReady: await import('@/app/v2/models/[name]/ready/route'),
  infer: await import('@/app/v2/models/[name]/infer/route'),
  versionInfer: await import('@/app/v2/models/[name]/versions/[version]/infer/route'),
  users: await import('@/app/api/v1/users/route'),
}

/** the owner's token, set once the suite has set up the server */
export let admin = ''
export const setAdmin = (token: string) => void (admin = token)
/** the test model's bytes, set once the suite has trained it */
let modelBytes: Uint8Array
export const setModelBytes = (bytes: Uint8Array) => void (modelBytes = bytes)
export const trainedModelBytes = () => modelBytes

export const record = (size: number | string | null, colour: string | null = 'red', noise: number | null = 0.5) => ({ 'size [cm]': size, 'noise "n"': noise, colour })
/** The same three rows as V2 tensors, one input per column, [N, 1]. */
export function v2Body(rows: ReturnType<typeof record>[], id?: string) {
  return {
    ...(id ? { id } : {}),
    inputs: [
      { name: 'size [cm]', shape: [rows.length, 1], datatype: 'FP32', data: rows.map((r) => Number(r['size [cm]'])) },
      { name: 'noise "n"', shape: [rows.length, 1], datatype: 'FP32', data: rows.map((r) => r['noise "n"'] ?? 0) },
      { name: 'colour', shape: [rows.length, 1], datatype: 'BYTES', data: rows.map((r) => r.colour ?? '') },
    ],
  }
}
export const rows = [record(10), record(50, 'blue', 0.1), record(90, 'red', 0.9)]

export const deploy = (json: unknown, token = admin) => call(routes.deployments.POST, 'POST', '/api/v1/deployments', {}, { token, json })
export const predict = (name: string, json: unknown, options: { token?: string; headers?: Record<string, string> } = {}) =>
  call(routes.predict.POST, 'POST', `/api/v1/deployments/${name}/predict`, { name }, { token: options.token ?? admin, json, ...(options.headers ? { headers: options.headers } : {}) })
export const infer = (name: string, json: unknown, token = admin, headers?: Record<string, string>) =>
  call(routes.infer.POST, 'POST', `/v2/models/${name}/infer`, { name }, { token, json, ...(headers ? { headers } : {}) })
/** A binary-extension request (a JSON header, then raw tensor bytes) and the answer's bytes. */
export async function inferBytes(name: string, header: unknown, parts: Uint8Array[]) {
  const json = Buffer.from(JSON.stringify(header))
  const headers = { authorization: `Bearer ${admin}`, 'content-type': 'application/octet-stream', 'inference-header-content-length': String(json.byteLength) }
  const request = new Request(`http://localhost/v2/models/${name}/infer`, { method: 'POST', headers, body: Buffer.concat([json, ...parts]) })
  const response = await routes.infer.POST(request, { params: Promise.resolve({ name }) })
  return { status: response.status, headers: response.headers, bytes: new Uint8Array(await response.arrayBuffer()) }
}
/** The health route as it answers once this process's buckets are written and have settled (10 s on). */
export async function healthLater(name: string) {
  await servingHostOf(await getServices()).healthWriter.flush()
  vi.useFakeTimers({ toFake: ['Date'], now: Date.now() + 10_000 })
  try {
    return await call(routes.health.GET, 'GET', `/api/v1/deployments/${name}/health`, { name }, { token: admin })
  } finally {
    vi.useRealTimers()
  }
}
export type Counted = { version: number; shadow: boolean; series: { requests: number }[] }
export const requestsOf = (versions: Counted[]) => versions.map((v) => ({ version: v.version, shadow: v.shadow, requests: v.series.reduce((n, p) => n + p.requests, 0) }))
export const rollout = (name: string, json: unknown) => call(routes.rollout.POST, 'POST', `/api/v1/deployments/${name}/rollout`, { name }, { token: admin, json })

export async function deploymentId(name: string): Promise<string> {
  const { findDeployment } = await import('@/server/deployments/deployments')
  return (await findDeployment((await getServices()).db, name)).id
}

export async function directProbabilities(records: ReturnType<typeof record>[]): Promise<number[]> {
  const session = await ort.InferenceSession.create(modelBytes)
  const column = (name: keyof ReturnType<typeof record>) => records.map((r) => r[name])
  const result = await session.run({
    'size [cm]': new ort.Tensor('float32', Float32Array.from(column('size [cm]').map(Number)), [records.length, 1]),
    'noise "n"': new ort.Tensor('float32', Float32Array.from(column('noise "n"').map((v) => Number(v ?? 0))), [records.length, 1]),
    colour: new ort.Tensor('string', column('colour').map((v) => String(v ?? '')), [records.length, 1]),
  })
  const out = Array.from(result.probabilities!.data as Float32Array)
  await session.release()
  return out
}
