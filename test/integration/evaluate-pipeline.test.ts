import { and, eq } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { auditLog } from '@/db/schema'
import { resolveAlias, listModelVersions } from '@/server/models/registry'
import { embeddedBackend, postgresRedisBackend, startWorkerProcess, stopWorker, type Backend, type WorkerProcess } from '../harness/backends'
import { runToEnd } from '../harness/run-pipeline'

/** Penguins split, a classifier trained on `features`, evaluated on the test side and promoted to champion when it wins. */
function pipeline(name: string, features?: string[]) {
  return {
    apiVersion: 'pipewright/v1',
    name,
    nodes: [
      { id: 'load', kind: 'ingest', config: { source: { type: 'sample', name: 'penguins' } } },
      { id: 'check', kind: 'validate', config: { rules: [{ column: 'species', rule: 'in_set', values: ['Adelie', 'Chinstrap', 'Gentoo'] }, { column: 'body_mass_g', rule: 'not_null' }] } },
      { id: 'split', kind: 'split', config: { stratifyBy: 'species', seed: 1 } },
      { id: 'train', kind: 'train-handoff', config: { trainer: { type: 'builtin', algorithm: 'logistic-regression', label: 'species', epochs: 60, ...(features ? { features } : {}) }, registerAs: 'penguins' } },
      { id: 'evaluate', kind: 'evaluate', config: { champion: { metric: 'f1_macro', maxDrop: 0 }, promoteTo: 'champion' } },
    ],
    edges: [
      { from: 'load.dataset', to: 'check.dataset' },
      { from: 'check.clean', to: 'split.dataset' },
      { from: 'split.train', to: 'train.train' },
      { from: 'split.validation', to: 'train.validation' },
      { from: 'train.model', to: 'evaluate.model' },
      { from: 'split.test', to: 'evaluate.dataset' },
    ],
  }
}

const backends: [string, () => Promise<{ backend: Backend; worker?: WorkerProcess }>][] = [
  ['PGlite, in-process queue', async () => ({ backend: await embeddedBackend() })],
  [
    'PostgreSQL, BullMQ and a worker process',
    async () => {
      const backend = await postgresRedisBackend()
      const worker = startWorkerProcess(backend.workerEnv)
      await worker.ready
      return { backend, worker }
    },
  ],
]

describe.each(backends)('evaluate and promote in a pipeline run on %s', (_name, open) => {
  let backend: Backend
  let worker: WorkerProcess | undefined
  beforeAll(async () => {
    ;({ backend, worker } = await open())
  }, 60_000)
  afterAll(async () => {
    if (worker) await stopWorker(worker)
    await backend?.close()
  })

  it('promotes the first model to champion, audited as the run, then keeps it against a weaker one', async () => {
    const first = await runToEnd(backend.services, pipeline('penguins-a'))
    expect(first.status, first.steps.map((s) => s.error).join(' ')).toBe('succeeded')
    expect(await resolveAlias(backend.services.db, 'penguins', 'champion')).toBe(1)
    const [moved] = await backend.services.db.select().from(auditLog).where(and(eq(auditLog.action, 'model.alias-move'), eq(auditLog.client, `run ${first.id}`)))
    expect(moved).toMatchObject({ target: 'model penguins alias champion', outcome: 'ok' })
    expect(moved!.details).toMatchObject({ from: null, to: 1, runId: first.id })

    const weaker = await runToEnd(backend.services, pipeline('penguins-b', ['sex']))
    expect(weaker.status).toBe('failed')
    expect(weaker.steps.find((s) => s.nodeId === 'evaluate')!.error).toMatch(/^A quality gate failed: f1_macro not worse than champion \(version 1\) by more than 0: 0\.\d+ against 0\.\d+, worse by 0\.\d+, so the gate fails\.$/)
    // the weaker model is registered as version 2, but the champion stays where it was
    expect((await listModelVersions(backend.services.db, 'penguins')).versions.map((v) => v.version)).toEqual([2, 1])
    expect(await resolveAlias(backend.services.db, 'penguins', 'champion')).toBe(1)
  }, 120_000)
})
