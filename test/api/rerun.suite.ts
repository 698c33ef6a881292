import fs from 'node:fs'
import { and, eq } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { auditLog, runs } from '@/db/schema'
import { createApiToken, createUser } from '@/server/auth/accounts'
import { closeServices, getServices } from '@/server/services'
import { measurementsCsv } from '../harness/data'
import { call } from '../harness/routes'

const setupRoute = await import('@/app/api/v1/setup/route')
const uploadsRoute = await import('@/app/api/v1/uploads/route')
const pipelinesRoute = await import('@/app/api/v1/pipelines/route')
const runsRoute = await import('@/app/api/v1/pipelines/[pipelineId]/runs/route')
const runRoute = await import('@/app/api/v1/runs/[runId]/route')
const rerunRoute = await import('@/app/api/v1/runs/[runId]/rerun/route')
const openapiRoute = await import('@/app/api/v1/openapi.json/route')

interface Step {
  nodeId: string
  status: string
  cached: boolean
  cachedFromRunId: string | null
  skipCache: boolean
  outputs: Record<string, string>
}
interface Run {
  id: string
  status: string
  version: number
  rerunOf: string | null
  rerunNodeId: string | null
  steps: Step[]
}

let token = ''
let uploadId = ''

/**
 * load → check → report-check, with a side branch load → side: re-running `check` must run it and
 * `report-check` and answer `load` and `side` (neither downstream of it) from the cache.
 */
function branchingPipeline(name: string) {
  return {
    apiVersion: 'pipewright/v1',
    name,
    nodes: [
      { id: 'load', kind: 'ingest', config: { source: { type: 'upload', artifactId: uploadId } } },
      { id: 'check', kind: 'validate', config: { rules: [{ column: 'temp [°C]', rule: 'between', min: -40, max: 60 }] } },
      { id: 'report-check', kind: 'validate', config: { rules: [{ column: 'status', rule: 'in_set', values: ['ok', 'warn', 'exploded'] }] } },
      { id: 'side', kind: 'validate', config: { rules: [{ column: 'Device ID', rule: 'not_null' }] } },
    ],
    edges: [
      { from: 'load.dataset', to: 'check.dataset' },
      { from: 'check.clean', to: 'report-check.dataset' },
      { from: 'load.dataset', to: 'side.dataset' },
    ],
  }
}

const rerun = (runId: string, json: unknown, options: { token?: string; body?: string } = { token }) =>
  call(rerunRoute.POST, 'POST', `/api/v1/runs/${encodeURIComponent(runId)}/rerun`, { runId }, { token: options.token, json: options.body === undefined ? json : undefined, body: options.body, headers: options.body === undefined ? undefined : { 'content-type': 'application/json' } })

async function waitForEnd(runId: string): Promise<Run> {
  for (let i = 0; i < 600; i++) {
    const run = await call(runRoute.GET, 'GET', `/api/v1/runs/${runId}`, { runId }, { token })
    if (['succeeded', 'failed', 'canceled'].includes(run.body.status)) return run.body as Run
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
  throw new Error(`run ${runId} did not end`)
}

/** A fresh pipeline of its own (so one test's deleted artifact does not reach another), run to its end. */
async function finishedRun(label: string): Promise<{ pipelineId: string; run: Run }> {
  const created = await call(pipelinesRoute.POST, 'POST', '/api/v1/pipelines', {}, { token, json: branchingPipeline(`rerun-${label}`) })
  expect(created.status).toBe(201)
  const pipelineId = created.body.id as string
  const started = await call(runsRoute.POST, 'POST', `/api/v1/pipelines/${pipelineId}/runs`, { pipelineId }, { token, json: { noCache: true } })
  expect(started.status).toBe(201)
  const run = await waitForEnd(started.body.runId)
  expect(run.status).toBe('succeeded')
  return { pipelineId, run }
}

const stepOf = (run: Run, nodeId: string) => run.steps.find((step) => step.nodeId === nodeId)!

/** Force re-run over REST, against whatever database the environment names. */
export function rerunApiSuite(backend: string, cleanUp: () => Promise<void> = async () => {}) {
  describe(`force re-run (POST /api/v1/runs/{id}/rerun) on ${backend}`, () => {
    beforeAll(async () => {
      const setup = await call(setupRoute.POST, 'POST', '/api/v1/setup', {}, { json: { email: 'owner@example.com', password: 'correct horse battery', name: 'Owner' } })
      token = setup.body.token
      const upload = await call(uploadsRoute.POST, 'POST', '/api/v1/uploads?filename=measurements.csv', {}, { token, body: measurementsCsv(60).csv })
      expect(upload.status).toBe(201)
      uploadId = upload.body.artifactId
    })
    afterAll(async () => {
      await closeServices(await getServices())
      await cleanUp()
    })

    it('runs the named node and its descendants for real and answers the rest from the original run', async () => {
      const { pipelineId, run: original } = await finishedRun('middle')
      const answer = await rerun(original.id, { nodeId: 'check' })
      expect(answer.status).toBe(201)
      expect(Object.keys(answer.body)).toEqual(['runId'])
      expect(answer.body.runId).not.toBe(original.id)

      const again = await waitForEnd(answer.body.runId)
      expect(again).toMatchObject({ status: 'succeeded', version: original.version, rerunOf: original.id, rerunNodeId: 'check' })
      for (const nodeId of ['check', 'report-check']) {
        expect(stepOf(again, nodeId), nodeId).toMatchObject({ status: 'succeeded', cached: false, cachedFromRunId: null, skipCache: true })
      }
      for (const nodeId of ['load', 'side']) {
        expect(stepOf(again, nodeId), nodeId).toMatchObject({ status: 'succeeded', cached: true, cachedFromRunId: original.id, skipCache: false })
        expect(stepOf(again, nodeId).outputs).toEqual(stepOf(original, nodeId).outputs)
      }
      // the same bytes in, the same (content-addressed) results out: the re-run really computed them
      expect(stepOf(again, 'check').outputs).toEqual(stepOf(original, 'check').outputs)

      const listed = await call(runsRoute.GET, 'GET', `/api/v1/pipelines/${pipelineId}/runs`, { pipelineId }, { token })
      expect(listed.body.runs.map((run: Run) => [run.id, run.rerunOf, run.rerunNodeId])).toEqual([
        [again.id, original.id, 'check'],
        [original.id, null, null],
      ])
    })

    it('names the run a cached result was computed in, through a chain of re-runs', async () => {
      const { run: original } = await finishedRun('chain')
      const first = await waitForEnd((await rerun(original.id, { nodeId: 'report-check' })).body.runId)
      expect(stepOf(first, 'check')).toMatchObject({ cached: true, cachedFromRunId: original.id })
      const second = await waitForEnd((await rerun(first.id, { nodeId: 'side' })).body.runId)
      // `check` came to `first` from `original`: the link goes to where it was computed
      expect(stepOf(second, 'check')).toMatchObject({ cached: true, cachedFromRunId: original.id })
      expect(stepOf(second, 'report-check')).toMatchObject({ cached: true, cachedFromRunId: first.id })
      expect(stepOf(second, 'side')).toMatchObject({ cached: false, skipCache: true })
    })

    it('re-running the first node runs everything; the last node, only itself', async () => {
      const { run: original } = await finishedRun('ends')
      const all = await waitForEnd((await rerun(original.id, { nodeId: 'load' })).body.runId)
      expect(all.steps.filter((step) => step.cached)).toEqual([])
      const last = await waitForEnd((await rerun(original.id, { nodeId: 'report-check' })).body.runId)
      expect(last.steps.filter((step) => !step.cached).map((step) => step.nodeId)).toEqual(['report-check'])
    })

    it('runs a step again when its cached result is gone from the artifact store', async () => {
      const { run: original } = await finishedRun('gone')
      const services = await getServices()
      const loaded = stepOf(original, 'load').outputs.dataset!
      fs.rmSync(await services.store.localPath(loaded))
      expect(await services.store.has(loaded)).toBe(false)

      const again = await waitForEnd((await rerun(original.id, { nodeId: 'report-check' })).body.runId)
      expect(again.status).toBe('succeeded')
      expect(stepOf(again, 'load')).toMatchObject({ status: 'succeeded', cached: false, cachedFromRunId: null })
      expect(await services.store.has(loaded)).toBe(true)
    })

    it('records who re-ran what in the audit log', async () => {
      const { run: original } = await finishedRun('audit')
      const answer = await rerun(original.id, { nodeId: 'side' })
      const services = await getServices()
      const [entry] = await services.db.select().from(auditLog).where(and(eq(auditLog.action, 'run.rerun'), eq(auditLog.target, `run ${answer.body.runId}`)))
      expect(entry).toMatchObject({ outcome: 'ok', details: { rerunOf: original.id, nodeId: 'side' } })
      await waitForEnd(answer.body.runId)
    })

    describe('refuses what it cannot do, saying why', () => {
      let original: Run

      beforeAll(async () => {
        original = (await finishedRun('refusals')).run
      })

      it('answers 404 for an unknown run and for an id that is no run id', async () => {
        const unknown = await rerun('00000000-0000-4000-8000-000000000000', { nodeId: 'check' })
        expect(unknown.status).toBe(404)
        expect(unknown.body.error).toMatch(/No run with id/)
        const malformed = await rerun('not-a-run', { nodeId: 'check' })
        expect(malformed.status).toBe(404)
      })

      it('answers 400 naming the nodes there are when the node is not in the run’s version', async () => {
        const answer = await rerun(original.id, { nodeId: 'train' })
        expect(answer.status).toBe(400)
        expect(answer.body.error).toBe(`No node "train" in version 1 of this pipeline; its nodes are "load", "check", "report-check", "side".`)
        expect(answer.body.issues[0].path).toBe('nodeId')
      })

      it.each([
        ['a number', { nodeId: 42 }],
        ['empty', { nodeId: '' }],
        ['not a node id (spaces, quotes)', { nodeId: 'check "all"' }],
        ['too long', { nodeId: `n${'x'.repeat(200)}` }],
        ['with a NUL', { nodeId: 'che\u0000ck' }],
        ['missing', {}],
        ['with an extra field', { nodeId: 'check', noCache: true }],
        ['not an object', ['check']],
      ])('answers 400 for a node id that is %s', async (_, json) => {
        const answer = await rerun(original.id, json)
        expect(answer.status).toBe(400)
        expect(answer.body.error).toEqual(expect.any(String))
      })

      it('answers 400 for an empty or broken body and 413 for one over the limit', async () => {
        expect((await rerun(original.id, undefined, { token, body: '' })).status).toBe(400)
        expect((await rerun(original.id, undefined, { token, body: '{"nodeId":' })).status).toBe(400)
        const huge = await rerun(original.id, undefined, { token, body: JSON.stringify({ nodeId: 'check', pad: 'x'.repeat(1024 * 1024) }) })
        expect(huge.status).toBe(413)
      })

      it('answers 409 while the run has not ended', async () => {
        const services = await getServices()
        const [row] = await services.db.select().from(runs).where(eq(runs.id, original.id))
        const [unfinished] = await services.db
          .insert(runs)
          .values({ pipelineId: row!.pipelineId, versionId: row!.versionId, version: row!.version, status: 'running' })
          .returning({ id: runs.id })
        const answer = await rerun(unfinished!.id, { nodeId: 'check' })
        expect(answer.status).toBe(409)
        expect(answer.body.error).toMatch(/still running/)
      })

      it('needs the permission to start runs: 401 without a token, 403 for an operator', async () => {
        expect((await rerun(original.id, { nodeId: 'check' }, { token: undefined })).status).toBe(401)
        const services = await getServices()
        const operator = await createUser(services.db, { email: 'op@example.com', password: 'operator-pass', name: 'Op', role: 'operator' })
        const { token: operatorToken } = await createApiToken(services.db, operator.id, 'ops')
        const refused = await rerun(original.id, { nodeId: 'check' }, { token: operatorToken })
        expect(refused.status).toBe(403)
        expect(refused.body.error).toBe('Your role (operator) may not run pipelines.')
      })
    })

    it('is in the OpenAPI document, needing pipeline:run', async () => {
      const document = await (await openapiRoute.GET()).json()
      const operation = document.paths['/api/v1/runs/{runId}/rerun'].post
      expect(operation['x-pipewright-action']).toBe('pipeline:run')
      expect(Object.keys(operation.responses)).toEqual(expect.arrayContaining(['201', '400', '404', '409', '413']))
    })
  })
}
