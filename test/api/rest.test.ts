import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createApiToken, createUser } from '@/server/auth/accounts'
import { closeServices, getServices } from '@/server/services'
import { tempDir } from '../harness/backends'
import { ingestValidatePipeline, measurementsCsv } from '../harness/data'
import { call } from '../harness/routes'

// the routes read their configuration from the environment, as in production
process.env.PIPEWRIGHT_DATA_DIR = tempDir('api')
process.env.PIPEWRIGHT_MAX_UPLOAD_BYTES = String(64 * 1024)
process.env.LOG_LEVEL = 'silent'
delete process.env.DATABASE_URL
delete process.env.REDIS_URL

const setupRoute = await import('@/app/api/v1/setup/route')
const pipelinesRoute = await import('@/app/api/v1/pipelines/route')
const pipelineRoute = await import('@/app/api/v1/pipelines/[pipelineId]/route')
const runsRoute = await import('@/app/api/v1/pipelines/[pipelineId]/runs/route')
const runRoute = await import('@/app/api/v1/runs/[runId]/route')
const uploadsRoute = await import('@/app/api/v1/uploads/route')
const artifactRoute = await import('@/app/api/v1/artifacts/[artifactId]/route')
const contentRoute = await import('@/app/api/v1/artifacts/[artifactId]/content/route')
const previewRoute = await import('@/app/api/v1/artifacts/[artifactId]/preview/route')
const openapiRoute = await import('@/app/api/v1/openapi.json/route')

const owner = { email: 'Owner@Example.com', password: 'correct horse battery', name: 'Ada Owner' }
let token = ''

async function waitForRunStatus(runId: string) {
  for (let i = 0; i < 300; i++) {
    const run = await call(runRoute.GET, 'GET', `/api/v1/runs/${runId}`, { runId }, { token })
    if (['succeeded', 'failed', 'canceled'].includes(run.body.status)) return run.body
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
  throw new Error('run did not finish')
}

describe('REST API v1', () => {
  beforeAll(async () => {
    const created = await call(setupRoute.POST, 'POST', '/api/v1/setup', {}, { json: owner })
    expect(created.status).toBe(201)
    token = created.body.token
  })

  afterAll(async () => closeServices(await getServices()))

  describe('setup', () => {
    it('answers 409 once an owner exists', async () => {
      const again = await call(setupRoute.POST, 'POST', '/api/v1/setup', {}, { json: { ...owner, email: 'b@example.com' } })
      expect(again.status).toBe(409)
      expect(again.body.error).toMatch(/exists/)
    })

    it('names the bad field', async () => {
      const bad = await call(setupRoute.POST, 'POST', '/api/v1/setup', {}, { json: { email: 'nope', password: 'x', name: '' } })
      expect(bad.status).toBe(400)
      expect(bad.body.path).toBe('email')
    })
  })

  describe('authentication and roles', () => {
    it('refuses a request without a token with 401', async () => {
      const response = await call(pipelinesRoute.GET, 'GET', '/api/v1/pipelines', {})
      expect(response.status).toBe(401)
      expect(response.body.error).toMatch(/Bearer/)
    })

    it('refuses an unknown token with 401', async () => {
      const response = await call(pipelinesRoute.GET, 'GET', '/api/v1/pipelines', {}, { token: 'pw_tok_not-a-real-token' })
      expect(response.status).toBe(401)
    })

    it('lets an operator read pipelines but answers 403 when they edit or run one', async () => {
      const services = await getServices()
      const operator = await createUser(services.db, { email: 'op@example.com', password: 'operator-pass', name: 'Op', role: 'operator' })
      const { token: operatorToken } = await createApiToken(services.db, operator.id, 'ops')
      const created = await call(pipelinesRoute.POST, 'POST', '/api/v1/pipelines', {}, { token, json: ingestValidatePipeline('role-check', 'a'.repeat(64)) })
      expect(created.status).toBe(201)
      const pipelineId = created.body.id

      const read = await call(pipelineRoute.GET, 'GET', `/api/v1/pipelines/${pipelineId}`, { pipelineId }, { token: operatorToken })
      expect(read.status).toBe(200)
      const edit = await call(pipelineRoute.PUT, 'PUT', `/api/v1/pipelines/${pipelineId}`, { pipelineId }, { token: operatorToken, json: read.body.file })
      expect(edit.status).toBe(403)
      expect(edit.body.error).toMatch(/operator/)
      const run = await call(runsRoute.POST, 'POST', `/api/v1/pipelines/${pipelineId}/runs`, { pipelineId }, { token: operatorToken })
      expect(run.status).toBe(403)
    })
  })

  describe('pipeline files', () => {
    it('answers 400 naming the path of the first error', async () => {
      const file = ingestValidatePipeline('bad-config', 'a'.repeat(64), [{ column: 'x', rule: 'between', min: 'low' }])
      const response = await call(pipelinesRoute.POST, 'POST', '/api/v1/pipelines', {}, { token, json: file })
      expect(response.status).toBe(400)
      expect(response.body.path).toBe('nodes.1.config.rules.0.min')
      expect(response.body.error).toContain('nodes.1.config.rules.0.min')
    })

    it('answers 400 for a body that is not JSON, and for a file of the wrong shape', async () => {
      const notJson = await call(pipelinesRoute.POST, 'POST', '/api/v1/pipelines', {}, { token, body: '{"apiVersion":', headers: { 'content-type': 'application/json' } })
      expect(notJson.status).toBe(400)
      expect(notJson.body.error).toMatch(/not valid JSON/)
      const wrongShape = await call(pipelinesRoute.POST, 'POST', '/api/v1/pipelines', {}, { token, json: { apiVersion: 'pipewright/v1', name: 'x', nodes: 'many' } })
      expect(wrongShape.status).toBe(400)
      expect(wrongShape.body.path).toBe('nodes')
    })

    it('keeps every saved change as a new version', async () => {
      const file = ingestValidatePipeline('versioned', 'b'.repeat(64))
      const created = await call(pipelinesRoute.POST, 'POST', '/api/v1/pipelines', {}, { token, json: file })
      const pipelineId = created.body.id
      const saved = await call(pipelineRoute.PUT, 'PUT', `/api/v1/pipelines/${pipelineId}`, { pipelineId }, { token, json: { ...file, description: 'second' } })
      expect(saved.body).toEqual({ id: pipelineId, version: 2 })
      const duplicate = await call(pipelinesRoute.POST, 'POST', '/api/v1/pipelines', {}, { token, json: file })
      expect(duplicate.status).toBe(409)
    })

    it('answers 404 for an unknown or malformed pipeline id', async () => {
      const unknown = '00000000-0000-4000-8000-000000000000'
      expect((await call(pipelineRoute.GET, 'GET', `/api/v1/pipelines/${unknown}`, { pipelineId: unknown }, { token })).status).toBe(404)
      expect((await call(pipelineRoute.GET, 'GET', '/api/v1/pipelines/nope', { pipelineId: 'nope' }, { token })).status).toBe(404)
      expect((await call(runRoute.GET, 'GET', '/api/v1/runs/nope', { runId: 'nope' }, { token })).status).toBe(404)
    })
  })

  describe('uploads and artifacts', () => {
    it('answers 413 for an upload over the limit, by Content-Length or while streaming, and keeps nothing', async () => {
      const big = 'x'.repeat(70 * 1024)
      const declared = await call(uploadsRoute.POST, 'POST', '/api/v1/uploads?filename=big.csv', {}, { token, body: big, headers: { 'content-length': String(big.length) } })
      expect(declared.status).toBe(413)
      const stream = new ReadableStream({
        start(controller) {
          for (let i = 0; i < 10; i++) controller.enqueue(new TextEncoder().encode(big.slice(0, 10 * 1024)))
          controller.close()
        },
      })
      const streamed = await call(uploadsRoute.POST, 'POST', '/api/v1/uploads?filename=big.csv', {}, { token, body: stream })
      expect(streamed.status).toBe(413)
      expect(streamed.body.error).toMatch(/PIPEWRIGHT_MAX_UPLOAD_BYTES/)
    })

    it('answers 400 without a file name', async () => {
      const response = await call(uploadsRoute.POST, 'POST', '/api/v1/uploads', {}, { token, body: 'a,b\n1,2\n' })
      expect(response.status).toBe(400)
      expect(response.body.path).toBe('filename')
    })

    it('answers 404 for an unknown artifact id and for ids that are not sha256', async () => {
      for (const artifactId of ['f'.repeat(64), '..%2F..%2Fetc%2Fpasswd', '../../etc/passwd', 'ABC']) {
        const response = await call(artifactRoute.GET, 'GET', `/api/v1/artifacts/${artifactId}`, { artifactId }, { token })
        expect(response.status).toBe(404)
        const content = await call(contentRoute.GET, 'GET', `/api/v1/artifacts/${artifactId}/content`, { artifactId }, { token })
        expect(content.status).toBe(404)
      }
    })

    it('runs an uploaded file through a pipeline and describes every output', async () => {
      const data = measurementsCsv(200)
      const uploaded = await call(uploadsRoute.POST, 'POST', '/api/v1/uploads?filename=measurements.csv', {}, { token, body: data.csv })
      expect(uploaded.status).toBe(201)
      expect(uploaded.body.artifactId).toMatch(/^[0-9a-f]{64}$/)

      const created = await call(pipelinesRoute.POST, 'POST', '/api/v1/pipelines', {}, { token, json: ingestValidatePipeline('rest-flow', uploaded.body.artifactId) })
      const pipelineId = created.body.id
      const started = await call(runsRoute.POST, 'POST', `/api/v1/pipelines/${pipelineId}/runs`, { pipelineId }, { token })
      expect(started.status).toBe(201)
      const run = await waitForRunStatus(started.body.runId)
      expect(run.status).toBe('succeeded')
      const check = run.steps.find((s: { nodeId: string }) => s.nodeId === 'check')
      expect(check).toMatchObject({ status: 'succeeded', cached: false, error: null, waitingFor: null })
      expect(Object.keys(check.outputs).sort()).toEqual(['clean', 'quarantine', 'report'])

      const artifactId = check.outputs.quarantine
      const meta = await call(artifactRoute.GET, 'GET', `/api/v1/artifacts/${artifactId}`, { artifactId }, { token })
      expect(meta.body.rowCount).toBe(data.badRows.length)
      expect(meta.body.schema.map((c: { name: string }) => c.name)).toContain('temp [°C]')
      const preview = await call(previewRoute.GET, 'GET', `/api/v1/artifacts/${artifactId}/preview`, { artifactId }, { token })
      expect(preview.body.rows).toHaveLength(data.badRows.length)
      const reportId = check.outputs.report
      const report = await call(contentRoute.GET, 'GET', `/api/v1/artifacts/${reportId}/content`, { artifactId: reportId }, { token })
      expect(report.body.quarantinedRows).toBe(data.badRows.length)

      const listed = await call(pipelinesRoute.GET, 'GET', '/api/v1/pipelines', {}, { token })
      const listedFlow = listed.body.pipelines.find((p: { name: string }) => p.name === 'rest-flow')
      expect(listedFlow).toMatchObject({ lastRunStatus: 'succeeded', headVersion: 1 })
    })
  })

  it('publishes an OpenAPI document', async () => {
    const response = await openapiRoute.GET()
    const document = await response.json()
    expect(document.openapi).toBe('3.1.0')
    expect(Object.keys(document.paths)).toContain('/api/v1/runs/{runId}')
    // a waiting step says what it waits for, as the run page does
    expect(document.components.schemas.Step.properties.waitingFor).toMatchObject({ type: ['string', 'null'], enum: ['approval', 'handoff', null] })
  })
})
