import { TRPCError } from '@trpc/server'
import { fetchRequestHandler } from '@trpc/server/adapters/fetch'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { appRouter } from '@/server/api/root'
import { createUser } from '@/server/auth/accounts'
import type { Actor } from '@/server/auth/permissions'
import { compile } from '@/server/compiler/compile'
import { discardDraft, getDraft, maxDraftBytes, saveDraft } from '@/server/pipelines/drafts'
import { createEmptyPipeline, createPipeline, getVersion, PipelineInvalidError, restoreVersion, savePipelineVersion } from '@/server/pipelines/pipelines'
import { ConflictError, NotFoundError } from '@/server/errors'
import { startRun } from '@/server/runner/runs'
import { closeServices, getServices } from '@/server/services'
import { embeddedBackend, postgresRedisBackend, tempDir, type Backend } from '../harness/backends'
import { ingestValidatePipeline } from '../harness/data'
import { call } from '../harness/routes'

// the REST routes read their configuration from the environment, as in production
process.env.PIPEWRIGHT_DATA_DIR = tempDir('editing')
process.env.LOG_LEVEL = 'silent'
delete process.env.DATABASE_URL
delete process.env.REDIS_URL

const setupRoute = await import('@/app/api/v1/setup/route')
const pipelinesRoute = await import('@/app/api/v1/pipelines/route')
const pipelineRoute = await import('@/app/api/v1/pipelines/[pipelineId]/route')

const artifactId = 'a'.repeat(64)
const unknownId = '00000000-0000-4000-8000-000000000000'
/** compiles, except that a rule's `min` is a word: an `invalid_config` at nodes.1.config.rules.0.min */
const withConfigError = (name: string) => ingestValidatePipeline(name, artifactId, [{ column: 'x', rule: 'between', min: 'low' }])

type Setup = { name: string; open: () => Promise<Backend> }
const setups: Setup[] = [
  { name: 'PGlite', open: () => embeddedBackend() },
  { name: 'PostgreSQL', open: () => postgresRedisBackend() },
]

/** What a rejected tRPC call carried: its code, message and the pipeline errors behind it. */
async function failure(promise: Promise<unknown>) {
  try {
    await promise
  } catch (error) {
    if (!(error instanceof TRPCError)) throw error
    const errors = error.cause instanceof PipelineInvalidError ? error.cause.errors : undefined
    return { code: error.code, message: error.message, errors }
  }
  throw new Error('expected the call to fail')
}

describe.each(setups)('editing pipelines from the canvas on $name', ({ open }) => {
  let backend: Backend
  let engineer: Actor
  let colleague: Actor
  let operator: Actor
  const caller = (actor: Actor) => appRouter.createCaller({ services: backend.services, actor })

  beforeAll(async () => {
    backend = await open()
    const db = backend.services.db
    engineer = await createUser(db, { email: 'eng@example.com', name: 'Grace Engineer', password: 'engineer-pass', role: 'engineer' })
    colleague = await createUser(db, { email: 'col@example.com', name: 'Alan Colleague', password: 'colleague-pass', role: 'engineer' })
    operator = await createUser(db, { email: 'op@example.com', name: 'Olive Operator', password: 'operator-pass', role: 'operator' })
  })

  afterAll(async () => backend?.close())

  describe('saving', () => {
    it('stores a version with config errors, which then refuses to run naming the field', async () => {
      const { id } = await caller(engineer).pipelines.create({ name: 'config-errors' })
      const saved = await caller(engineer).pipelines.save({ id, file: withConfigError('config-errors'), message: 'half done' })
      expect(saved).toEqual({ version: 2 })
      expect((await getVersion(backend.services.db, id)).file.nodes[1]!.config).toEqual({ rules: [{ column: 'x', rule: 'between', min: 'low' }] })

      const run = await failure(caller(engineer).runs.start({ pipelineId: id }))
      expect(run.code).toBe('BAD_REQUEST')
      expect(run.message).toContain('nodes.1.config.rules.0.min')
      expect(run.errors?.[0]).toMatchObject({ code: 'invalid_config', nodeId: 'check', field: 'rules.0.min' })
      await expect(startRun(backend.services, id)).rejects.toBeInstanceOf(PipelineInvalidError)
    })

    it('still refuses such a file on the REST path (no allowCompileErrors)', async () => {
      const { id } = await createEmptyPipeline(backend.services.db, 'rest-path', engineer.id)
      const refused = savePipelineVersion(backend.services.db, id, withConfigError('rest-path'), { actorId: engineer.id })
      await expect(refused).rejects.toThrow(/nodes\.1\.config\.rules\.0\.min/)
      expect((await getVersion(backend.services.db, id)).version).toBe(1)
    })

    it('refuses a file of the wrong shape, listing every error in the compiler’s form', async () => {
      const { id } = await caller(engineer).pipelines.create({ name: 'wrong-shape' })
      const file = { apiVersion: 'pipewright/v1', name: 'wrong-shape', nodes: [{ id: '1st', kind: 'ingest' }], edges: [{ from: 'nope', to: 'a.b' }] }
      const refused = await failure(caller(engineer).pipelines.save({ id, file }))
      expect(refused.code).toBe('BAD_REQUEST')
      expect(refused.message).toMatch(/^nodes\.0\.id: field "nodes\[0\]\.id" must start with a letter/)
      expect(refused.errors?.map((e) => [e.code, e.path.join('.')])).toEqual([
        ['invalid_file', 'nodes.0.id'],
        ['invalid_file', 'edges.0.from'],
      ])
      const notAFile = await failure(caller(engineer).pipelines.save({ id, file: 'nodes' }))
      expect(notAFile).toMatchObject({ code: 'BAD_REQUEST', errors: [{ code: 'invalid_file', path: [] }] })
    })

    it('saves over a newer head (last writer wins) and says which version it replaced', async () => {
      const { id } = await caller(engineer).pipelines.create({ name: 'two-tabs' })
      const file = ingestValidatePipeline('two-tabs', artifactId)
      expect(await caller(colleague).pipelines.save({ id, file, baseVersion: 1 })).toEqual({ version: 2 })
      expect(await caller(engineer).pipelines.save({ id, file, baseVersion: 1 })).toEqual({ version: 3, overwroteVersion: 2 })
      expect(await caller(engineer).pipelines.save({ id, file, baseVersion: 3 })).toEqual({ version: 4 })
    })

    it('answers CONFLICT when the new name belongs to another pipeline, and keeps the head', async () => {
      await caller(engineer).pipelines.create({ name: 'taken-name' })
      const { id } = await caller(engineer).pipelines.create({ name: 'renamed-one' })
      const clash = await failure(caller(engineer).pipelines.save({ id, file: ingestValidatePipeline('taken-name', artifactId) }))
      expect(clash.code).toBe('CONFLICT')
      expect(clash.message).toMatch(/Another pipeline \(id [0-9a-f-]{36}\) is already named "taken-name"; pick another name/)
      await expect(savePipelineVersion(backend.services.db, id, ingestValidatePipeline('taken-name', artifactId))).rejects.toBeInstanceOf(ConflictError)
      const head = await getVersion(backend.services.db, id)
      expect([head.version, head.file.name]).toEqual([1, 'renamed-one'])
      // renaming to a free name works, and keeping one's own name is no clash
      expect(await caller(engineer).pipelines.save({ id, file: ingestValidatePipeline('renamed-two', artifactId) })).toEqual({ version: 2 })
      expect(await caller(engineer).pipelines.save({ id, file: ingestValidatePipeline('renamed-two', artifactId) })).toEqual({ version: 3 })
    })

    it('lets readers see versions with their authors, but not save', async () => {
      const { id } = await caller(engineer).pipelines.create({ name: 'authored' })
      await caller(colleague).pipelines.save({ id, file: ingestValidatePipeline('authored', artifactId), message: 'add nodes' })
      const versions = await caller(operator).pipelines.versions({ id })
      expect(versions.map((v) => [v.version, v.message, v.createdByName, v.createdByEmail])).toEqual([
        [2, 'add nodes', 'Alan Colleague', 'col@example.com'],
        [1, null, 'Grace Engineer', 'eng@example.com'],
      ])
      const v2 = await caller(operator).pipelines.version({ id, version: 2 })
      expect(v2).toMatchObject({ version: 2, message: 'add nodes', createdBy: colleague.id, createdByName: 'Alan Colleague' })
      expect(v2.file).toEqual(ingestValidatePipeline('authored', artifactId))
      expect(v2.createdAt).toBeInstanceOf(Date)
      expect((await failure(caller(operator).pipelines.version({ id, version: 3 }))).code).toBe('NOT_FOUND')
      expect((await failure(caller(operator).pipelines.save({ id, file: v2.file }))).code).toBe('FORBIDDEN')
      expect((await failure(caller(operator).pipelines.draft.get({ id }))).code).toBe('FORBIDDEN')
    })
  })

  describe('creating', () => {
    it('creates an empty v1, refuses a taken name with CONFLICT and a bad name with the file schema’s words', async () => {
      const { id } = await caller(engineer).pipelines.create({ name: 'fresh-start' })
      const v1 = await getVersion(backend.services.db, id)
      expect(v1.file).toEqual({ apiVersion: 'pipewright/v1', name: 'fresh-start', nodes: [], edges: [] })
      expect(v1.createdBy).toBe(engineer.id)

      const again = await failure(caller(engineer).pipelines.create({ name: 'fresh-start' }))
      expect(again).toMatchObject({ code: 'CONFLICT', message: expect.stringMatching(/"fresh-start" exists already/) })
      await expect(createEmptyPipeline(backend.services.db, 'fresh-start')).rejects.toBeInstanceOf(ConflictError)

      const schemaSays = compile({ apiVersion: 'pipewright/v1', name: 'Fresh Start', nodes: [] })
      const expected = schemaSays.ok ? '' : schemaSays.errors[0]!.message
      expect(expected).toMatch(/must be lower-case letters, digits and "-"/)
      const bad = await failure(caller(engineer).pipelines.create({ name: 'Fresh Start' }))
      expect(bad).toMatchObject({ code: 'BAD_REQUEST', message: `name: ${expected}`, errors: [{ code: 'invalid_file', path: ['name'], message: expected }] })
      expect((await failure(caller(engineer).pipelines.create({ name: '' }))).message).toMatch(/^name: field "name" must not be empty/)
    })
  })

  describe('drafts', () => {
    it('keeps one draft per user and pipeline: save, replace, get, discard', async () => {
      const { id } = await caller(engineer).pipelines.create({ name: 'drafted' })
      const me = caller(engineer).pipelines.draft
      expect(await me.get({ id })).toBeNull()

      const half = { apiVersion: 'pipewright/v1', name: 'drafted', nodes: [{ id: 'load', kind: 'ingest' }], edges: [], ui: { positions: { load: { x: 1, y: 2 } } } }
      await me.save({ id, baseVersion: 1, file: { nodes: [] } })
      await me.save({ id, baseVersion: 1, file: half })
      const draft = await me.get({ id })
      expect(draft).toMatchObject({ baseVersion: 1, file: half })
      expect(draft!.updatedAt).toBeInstanceOf(Date)
      expect(await caller(colleague).pipelines.draft.get({ id })).toBeNull()

      expect(await me.discard({ id })).toEqual({ discarded: true })
      expect(await me.get({ id })).toBeNull()
      expect(await me.discard({ id })).toEqual({ discarded: false })
    })

    it('drops the saver’s draft when they save a version, and only theirs', async () => {
      const db = backend.services.db
      const { id } = await createEmptyPipeline(db, 'draft-then-save', engineer.id)
      const file = ingestValidatePipeline('draft-then-save', artifactId)
      await saveDraft(db, id, engineer.id, { baseVersion: 1, file })
      await saveDraft(db, id, colleague.id, { baseVersion: 1, file })
      await caller(engineer).pipelines.save({ id, file })
      expect(await getDraft(db, id, engineer.id)).toBeNull()
      expect(await getDraft(db, id, colleague.id)).toMatchObject({ baseVersion: 1 })
      // a refused save keeps the draft
      await saveDraft(db, id, engineer.id, { baseVersion: 2, file })
      await expect(caller(engineer).pipelines.save({ id, file: { ...file, name: 'Not Valid' } })).rejects.toThrow(/name/)
      expect(await getDraft(db, id, engineer.id)).toMatchObject({ baseVersion: 2 })
    })

    it('answers NOT_FOUND for a pipeline that does not exist', async () => {
      const db = backend.services.db
      await expect(saveDraft(db, unknownId, engineer.id, { baseVersion: 1, file: { nodes: [] } })).rejects.toBeInstanceOf(NotFoundError)
      await expect(getDraft(db, unknownId, engineer.id)).rejects.toBeInstanceOf(NotFoundError)
      await expect(discardDraft(db, unknownId, engineer.id)).rejects.toBeInstanceOf(NotFoundError)
      expect((await failure(caller(engineer).pipelines.draft.save({ id: unknownId, baseVersion: 1, file: { nodes: [] } }))).code).toBe('NOT_FOUND')
      expect((await failure(caller(engineer).pipelines.draft.get({ id: unknownId }))).code).toBe('NOT_FOUND')
    })

    it('refuses a draft that is not a file, has no nodes list, is too large, or names no version', async () => {
      const { id } = await caller(engineer).pipelines.create({ name: 'bad-drafts' })
      const save = (file: unknown, baseVersion = 1) => failure(caller(engineer).pipelines.draft.save({ id, baseVersion, file }))
      expect(await save([1, 2])).toMatchObject({ code: 'BAD_REQUEST', message: '(file): a draft must be a pipeline file (a JSON object), not a list' })
      expect(await save({ name: 'x' })).toMatchObject({ code: 'BAD_REQUEST', message: 'nodes: field "nodes" must be a list of nodes, even an empty one' })
      const huge = { nodes: [{ id: 'n', kind: 'note', config: { text: 'x'.repeat(maxDraftBytes) } }] }
      expect((await save(huge)).message).toMatch(/the draft is 5\.0 MB; a draft may be at most 5 MB/)
      expect((await save({ nodes: [] }, 2)).message).toMatch(/base version must be one of this pipeline's versions, 1 to 1 \(got 2\)/)
      expect((await save({ nodes: [] }, 0)).code).toBe('BAD_REQUEST')
    })
  })

  describe('restoring', () => {
    it('saves an old version’s file as the new head, even one that no longer compiles', async () => {
      const db = backend.services.db
      const { id } = await caller(engineer).pipelines.create({ name: 'restorable' })
      await caller(engineer).pipelines.save({ id, file: withConfigError('restorable') })
      await caller(engineer).pipelines.save({ id, file: ingestValidatePipeline('restorable', artifactId) })
      expect(await caller(colleague).pipelines.restore({ id, version: 2 })).toEqual({ version: 4 })
      const [v2, v4] = await Promise.all([getVersion(db, id, 2), getVersion(db, id, 4)])
      expect(v4.file).toEqual(v2.file)
      expect([v4.message, v4.createdBy]).toEqual(['Restored v2', colleague.id])
      expect(await restoreVersion(db, id, 1, engineer.id)).toEqual({ id, version: 5 })
      expect((await getVersion(db, id)).file.nodes).toEqual([])
      expect((await failure(caller(engineer).pipelines.restore({ id, version: 9 }))).code).toBe('NOT_FOUND')
    })
  })
})

describe('what a tRPC client receives for an invalid pipeline', () => {
  let backend: Backend
  let engineer: Actor
  beforeAll(async () => {
    backend = await embeddedBackend()
    engineer = await createUser(backend.services.db, { email: 'wire@example.com', name: 'Wire', password: 'wire-password', role: 'engineer' })
  })
  afterAll(async () => backend?.close())

  it('gets BAD_REQUEST naming the first error, with every error in data.pipelineErrors', async () => {
    const { id } = await createPipeline(backend.services.db, ingestValidatePipeline('over-the-wire', artifactId))
    await savePipelineVersion(backend.services.db, id, withConfigError('over-the-wire'), { allowCompileErrors: true })
    const req = new Request('http://localhost/api/trpc/runs.start', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ json: { pipelineId: id } }),
    })
    const response = await fetchRequestHandler({
      endpoint: '/api/trpc',
      req,
      router: appRouter,
      createContext: async () => ({ services: backend.services, actor: engineer }),
    })
    expect(response.status).toBe(400)
    const { error } = (await response.json()) as { error: { json: { message: string; data: { code: string; pipelineErrors: unknown[] } } } }
    expect(error.json.message).toMatch(/^nodes\.1\.config\.rules\.0\.min: node "check": config field "rules\.0\.min"/)
    expect(error.json.data.code).toBe('BAD_REQUEST')
    expect(error.json.data.pipelineErrors).toEqual([
      expect.objectContaining({ code: 'invalid_config', path: ['nodes', 1, 'config', 'rules', 0, 'min'], nodeId: 'check', field: 'rules.0.min' }),
    ])
  })
})

describe('the REST API beside the canvas', () => {
  let token = ''
  let owner: Actor
  beforeAll(async () => {
    const created = await call(setupRoute.POST, 'POST', '/api/v1/setup', {}, { json: { email: 'rest@example.com', password: 'correct horse battery', name: 'Rest Owner' } })
    expect(created.status).toBe(201)
    token = created.body.token
    owner = { ...created.body.user, role: 'admin' }
  })
  afterAll(async () => closeServices(await getServices()))

  it('keeps refusing with 400 a file the canvas may save, and answers 409 for a rename onto a taken name', async () => {
    const created = await call(pipelinesRoute.POST, 'POST', '/api/v1/pipelines', {}, { token, json: ingestValidatePipeline('rest-strict', artifactId) })
    expect(created.status).toBe(201)
    const pipelineId = created.body.id
    const put = (json: unknown) => call(pipelineRoute.PUT, 'PUT', `/api/v1/pipelines/${pipelineId}`, { pipelineId }, { token, json })

    const refused = await put(withConfigError('rest-strict'))
    expect(refused.status).toBe(400)
    expect(refused.body.path).toBe('nodes.1.config.rules.0.min')
    const canvas = appRouter.createCaller({ services: await getServices(), actor: owner })
    expect(await canvas.pipelines.save({ id: pipelineId, file: withConfigError('rest-strict') })).toEqual({ version: 2 })

    await call(pipelinesRoute.POST, 'POST', '/api/v1/pipelines', {}, { token, json: ingestValidatePipeline('rest-other', artifactId) })
    const clash = await put(ingestValidatePipeline('rest-other', artifactId))
    expect(clash.status).toBe(409)
    expect(clash.body.error).toMatch(/already named "rest-other"/)
  })
})
