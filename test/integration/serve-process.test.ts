// `npm run serve` as its own process on PostgreSQL: the web side (this test process) registers and
// deploys a trained model; the serve process answers V2 and records over real HTTP with the same
// numbers, counts its traffic where the web side's health query sees it, follows a rollout made here,
// and stops cleanly on SIGTERM.
import fs from 'node:fs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { predictions, servingHealth } from '@/db/schema'
import { createDeploymentBody } from '@/server/deployments/bodies'
import { createDeployment, findDeployment, promote, rollout } from '@/server/deployments/deployments'
import { readEnv } from '@/server/env'
import { fleetHealth } from '@/server/serving/fleet-health'
import type { DeploymentHealth } from '@/server/serving/health-shape'
import { closeServices, createServices, type Services } from '@/server/services'
import { freshPostgresDatabase, tempDir } from '../harness/backends'
import { startServeProcess, type ServeProcess } from '../harness/serve-process'
import { registerTrained } from '../harness/served-models'
import { ModelTrainer } from '../harness/trained-models'

const rows = [
  { 'size [cm]': 10, 'noise "n"': 0.5, colour: 'red' },
  { 'size [cm]': 50, 'noise "n"': 0.1, colour: 'blue' },
  { 'size [cm]': 90, 'noise "n"': 0.9, colour: 'red' },
]
const v2Body = {
  id: 'req-1',
  inputs: [
    { name: 'size [cm]', shape: [3, 1], datatype: 'FP32', data: rows.map((r) => r['size [cm]']) },
    { name: 'noise "n"', shape: [3, 1], datatype: 'FP32', data: rows.map((r) => r['noise "n"']) },
    { name: 'colour', shape: [3, 1], datatype: 'BYTES', data: rows.map((r) => r.colour) },
  ],
}
const maxInferBytes = 1024 * 1024
const by = { actorId: null, label: 'serve-process test' }

let database: Awaited<ReturnType<typeof freshPostgresDatabase>>
let dataDir: string
let services: Services
let serve: ServeProcess
const trainer = new ModelTrainer()

async function post(path: string, body: unknown): Promise<{ status: number; body: any }> { // eslint-disable-line @typescript-eslint/no-explicit-any
  const response = await fetch(`${serve.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: typeof body === 'string' ? body : JSON.stringify(body) })
  return { status: response.status, body: await response.json() }
}

describe('npm run serve, a separate serving process', () => {
  beforeAll(async () => {
    database = await freshPostgresDatabase()
    dataDir = tempDir('serve-process')
    const env = { DATABASE_URL: database.url, PIPEWRIGHT_DATA_DIR: dataDir, LOG_LEVEL: 'silent' }
    services = await createServices(readEnv({ ...env, PIPEWRIGHT_ROLE: 'web' }))
    await trainer.prepareTables()
    const bytes = (await trainer.tabular('logistic-regression')).bytes
    await registerTrained(services, 'sizes', bytes)
    await registerTrained(services, 'sizes', bytes)
    await createDeployment(services.db, createDeploymentBody.parse({ name: 'sizes', model: 'sizes', version: 1, public: true }), by)
    serve = await startServeProcess({ ...env, PIPEWRIGHT_MAX_INFER_BYTES: String(maxInferBytes) })
    await serve.ready
  }, 180_000)

  afterAll(async () => {
    await serve?.stop()
    await closeServices(services)
    await trainer.cleanup()
    await database.drop()
    fs.rmSync(dataDir, { recursive: true, force: true })
  })

  it('is ready with every deployment loaded, and describes them', async () => {
    expect((await fetch(`${serve.url}/v2/health/ready`)).status).toBe(200)
    const meta = await fetch(`${serve.url}/v2/models/sizes`)
    expect(meta.status).toBe(200)
    expect(await meta.json()).toMatchObject({ name: 'sizes', versions: ['1'], platform: 'onnxruntime_onnx' })
  })

  it('answers V2 infer and records predict over HTTP with the same numbers', async () => {
    const v2 = await post('/v2/models/sizes/infer', v2Body)
    expect(v2).toMatchObject({ status: 200, body: { id: 'req-1', model_name: 'sizes', model_version: '1' } })
    const records = await post('/api/v1/deployments/sizes/predict', { records: rows })
    expect(records).toMatchObject({ status: 200, body: { modelVersion: 1 } })
    const outputs = v2.body.outputs as { name: string; data: (number | string)[] }[]
    const labels = outputs.find((o) => o.name === 'label')!.data
    const scores = outputs.find((o) => o.name === 'probabilities')!.data as number[]
    const predictions = records.body.predictions as { label: string; scores: Record<string, number> }[]
    expect(predictions.map((p) => p.label)).toEqual(labels)
    const classes = Object.keys(predictions[0]!.scores)
    predictions.forEach((p, row) => classes.forEach((label, k) => expect(Math.abs(p.scores[label]! - scores[row * classes.length + k]!)).toBeLessThan(1e-6)))
  })

  it('counts its answers where the web side’s health query sees them, though this process served none', async () => {
    for (let i = 0; i < 20; i++) expect((await post('/v2/models/sizes/infer', v2Body)).status).toBe(200)
    const row = await findDeployment(services.db, 'sizes')
    // the serve process writes every 2 s; read as the page would 10 s on, once the last bucket has settled
    let health: DeploymentHealth | undefined
    const total = () => health?.series.reduce((n, p) => n + p.requests, 0) ?? 0
    const started = Date.now()
    while (total() < 22 && Date.now() - started < 10_000) {
      await new Promise((resolve) => setTimeout(resolve, 250))
      health = await fleetHealth(services.db, row, Date.now() + 10_000)
    }
    // the V2 and records requests above, and these 20
    expect(total()).toBe(22)
    expect(health).toMatchObject({ name: 'sizes', processes: 1, errorRate: 0, versions: [{ version: 1, shadow: false, requests: 22 }] })
    expect(health!.p95Ms).toBeGreaterThan(0)
    expect(Date.now() - started).toBeLessThan(4000)
    // written by the serve process, named by its host, pid and start time
    const writers = await services.db.selectDistinct({ processId: servingHealth.processId }).from(servingHealth)
    expect(writers.map((w) => w.processId)).toEqual([expect.stringContaining(`:${serve.pid}:`)])
  })

  it('says what was wrong, in the V2 error format: other paths, other methods, bad bodies, too large bodies', async () => {
    const other = await fetch(`${serve.url}/api/v1/pipelines`)
    expect(other.status).toBe(404)
    expect(await other.json()).toEqual({ error: expect.stringMatching(/not an inference route/) })
    const method = await fetch(`${serve.url}/v2/models/sizes/infer`)
    expect(method.status).toBe(405)
    expect(method.headers.get('allow')).toBe('POST')
    expect(await post('/v2/models/sizes/infer', '{"inputs": [')).toMatchObject({ status: 400, body: { error: expect.any(String) } })
    expect(await post('/v2/models/nothing-here/infer', v2Body)).toMatchObject({ status: 404, body: { error: expect.stringMatching(/nothing-here/) } })
    // streamed without a Content-Length: the limit holds while reading, and the server still answers
    const huge = new ReadableStream<Uint8Array>({
      start(controller) {
        for (let i = 0; i < 4; i++) controller.enqueue(new Uint8Array(maxInferBytes / 2).fill(32))
        controller.close()
      },
    })
    const tooLarge = await fetch(`${serve.url}/v2/models/sizes/infer`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: huge, duplex: 'half' } as RequestInit)
    expect(tooLarge.status).toBe(413)
    expect(Object.keys(await tooLarge.json())).toEqual(['error'])
    expect((await post('/v2/models/sizes/infer', v2Body)).status).toBe(200)
  })

  it('follows a rollout made by another process within about 2 s', async () => {
    await rollout(services.db, 'sizes', { version: 2, strategy: 'blue-green' }, by)
    await promote(services.db, 'sizes', by)
    const started = Date.now()
    let version = '1'
    while (version !== '2' && Date.now() - started < 5000) {
      version = (await post('/v2/models/sizes/infer', v2Body)).body.model_version
      if (version !== '2') await new Promise((resolve) => setTimeout(resolve, 50))
    }
    expect(version).toBe('2')
    expect(Date.now() - started).toBeLessThan(2500)
  })

  it('stops on SIGTERM with exit code 0', async () => {
    expect(await serve.stop()).toBe(0)
    expect(serve.output()).toMatch(/serve stopping/)
    // the prediction log was flushed before the process ended: the records answered above are there
    const logged = await services.db.select({ protocol: predictions.protocol }).from(predictions)
    expect(logged.filter((p) => p.protocol === 'records').length).toBeGreaterThanOrEqual(rows.length)
  })
})
