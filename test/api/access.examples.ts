import { randomUUID } from 'node:crypto'
import type { Requirement } from '@/server/auth/permissions'
import { ingestValidatePipeline } from '../harness/data'
import { tinyClassifier } from '../harness/onnx-models'
import { make, unique, type Fixtures } from './access.context'

/** A minimal valid request: what the walk sends, so an allowed caller gets past the access check and succeeds. */
export interface RestExample {
  params?: Record<string, string>
  query?: string
  json?: unknown
  body?: string | Uint8Array<ArrayBuffer>
  /** answers besides 2xx that still mean the request was understood (setup once someone exists: 409) */
  alsoFine?: number[]
}

type MakeExample = (fixtures: Fixtures) => RestExample | Promise<RestExample>

/** The path ids every operation gets unless its example says otherwise: objects that exist. */
export function defaultParams(fixtures: Fixtures): Record<string, string> {
  return {
    artifactId: fixtures.artifactId,
    pipelineId: fixtures.pipelineId,
    version: '1',
    runId: fixtures.runId,
    useCaseId: fixtures.useCaseId,
    inviteId: fixtures.inviteId,
    token: fixtures.inviteToken,
    userId: fixtures.spareUserId,
    blobId: fixtures.imageBlobId,
    name: fixtures.modelName,
    alias: 'champion',
  }
}

const owner = () => ({ email: `${unique('owner')}@example.com`, password: 'correct horse battery', name: 'Second Owner' })
const pipelineFile = (fixtures: Fixtures, name = 'access-walk') => ingestValidatePipeline(name, fixtures.artifactId, [])

/**
 * Operations that need a body, a query or an object of their own; keyed "METHOD /path" as in the OpenAPI
 * document. A GET or DELETE whose path ids are the defaults needs no entry. Destructive calls get a fresh
 * object each, so the walk does not depend on the order it runs in.
 */
export const restExamples: Record<string, MakeExample> = {
  'POST /api/v1/setup': () => ({ json: owner(), alsoFine: [409] }),
  'POST /api/auth/setup': () => ({ json: owner(), alsoFine: [409] }),
  'POST /api/auth/sign-in': (f) => ({ json: f.signIn }),
  // a wrong current password is a 400 about the input: the caller got past the access check
  'POST /api/v1/me/password': () => ({ json: { currentPassword: 'not the password', newPassword: 'a new long password' }, alsoFine: [400] }),

  'POST /api/v1/users': () => ({ json: { email: `${unique('new')}@example.com`, name: 'New Person', role: 'operator', password: 'a fine password' } }),
  'PATCH /api/v1/users/{userId}': () => ({ json: { role: 'operator' } }),
  'DELETE /api/v1/users/{userId}': async (f) => ({ params: { userId: (await make.user(f.adminToken)).id } }),

  'GET /api/v1/artifacts/{artifactId}/rows': (f) => ({ params: { artifactId: f.datasetId }, query: '?offset=0&limit=10' }),
  'GET /api/v1/blobs/{blobId}': () => ({ query: '?thumb=1' }),
  'POST /api/v1/uploads': () => ({ query: '?filename=walk.csv', body: 'id,value\n1,2\n' }),
  'POST /api/v1/models/{name}/versions': () => ({ query: '?labels=a,b,c', body: tinyClassifier() }),
  'PUT /api/v1/models/{name}/aliases/{alias}': () => ({ json: { version: 1 } }),
  'PATCH /api/v1/models/{name}/versions/{version}': () => ({ json: { tags: ['walked'] } }),
  // the walk's model takes one [N, 2] float input named "features"
  'POST /v2/models/{name}/infer': () => ({ json: { id: 'walk', inputs: [{ name: 'features', shape: [1, 2], datatype: 'FP32', data: [1, 2] }] } }),
  'POST /v2/models/{name}/versions/{version}/infer': () => ({ json: { inputs: [{ name: 'features', shape: [1, 2], datatype: 'FP32', data: [1, 2] }] } }),
  // records need one input per column; the walk's model has none: a 400 saying so is past the access check
  'POST /api/v1/deployments/{name}/predict': () => ({ json: { records: [{ features: 1 }] }, alsoFine: [400] }),
  'POST /api/v1/deployments': (f) => ({ json: { name: unique('walk'), model: f.modelName, version: 1 } }),
  'PATCH /api/v1/deployments/{name}': () => ({ json: { logSample: 0.5 } }),
  'POST /api/v1/deployments/{name}/rollout': async (f) => ({ params: { name: await make.deployment(f.adminToken, f.modelName) }, json: { version: 2, strategy: 'canary', weight: 10 } }),
  'POST /api/v1/deployments/{name}/rollback': async (f) => ({ params: { name: await make.deployment(f.adminToken, f.modelName, 'canary') } }),
  'POST /api/v1/deployments/{name}/promote': async (f) => ({ params: { name: await make.deployment(f.adminToken, f.modelName, 'canary') } }),
  'POST /api/v1/deployments/{name}/pause': async (f) => ({ params: { name: await make.deployment(f.adminToken, f.modelName, 'canary') } }),
  'POST /api/v1/deployments/{name}/resume': async (f) => ({ params: { name: await make.deployment(f.adminToken, f.modelName, 'paused') } }),
  // no handoff waits in the walk's fixtures: a token-guarded route answers 404 for an unknown one
  'GET /api/v1/handoffs/{handoffId}': () => ({ params: { handoffId: randomUUID() }, alsoFine: [404] }),
  'GET /api/v1/handoffs/{handoffId}/files/{name}': () => ({ params: { handoffId: randomUUID(), name: 'train.parquet' }, alsoFine: [404] }),
  // the walk's run trains nothing: its step "check" hands nothing off
  'POST /api/v1/runs/{runId}/steps/{nodeId}/model': () => ({ params: { nodeId: 'check' }, body: tinyClassifier(), alsoFine: [409] }),
  // and waits for no approval: past the access check, a 409 says so
  'POST /api/v1/runs/{runId}/steps/{nodeId}/approve': () => ({ params: { nodeId: 'check' }, json: { comment: 'walked' }, alsoFine: [409] }),
  'POST /api/v1/runs/{runId}/steps/{nodeId}/reject': () => ({ params: { nodeId: 'check' }, json: { reason: 'walked' }, alsoFine: [409] }),
  'POST /api/v1/handoffs/{handoffId}/model': () => ({ params: { handoffId: randomUUID() }, body: tinyClassifier(), alsoFine: [404] }),
  'POST /api/v1/runs/{runId}/rerun': () => ({ json: { nodeId: 'check' } }),
  'POST /api/v1/pipelines': (f) => ({ json: pipelineFile(f, unique('walk')) }),
  'PUT /api/v1/pipelines/{pipelineId}': (f) => ({ json: pipelineFile(f) }),

  'POST /api/v1/use-cases': () => ({ json: { title: unique('Walk use case') } }),
  'PATCH /api/v1/use-cases/settings': () => ({ json: { horizonYears: 3 } }),
  'POST /api/v1/use-cases/csv': () => ({ body: `title\n${unique('Imported')}\n` }),
  'POST /api/v1/use-cases/invites': () => ({ json: { raterName: 'Walk rater' } }),
  'DELETE /api/v1/use-cases/invites/{inviteId}': async (f) => ({ params: { inviteId: (await make.invite(f.adminToken, f.useCaseId)).id } }),
  'POST /api/v1/rate/{token}': async (f) => ({
    params: { token: (await make.invite(f.adminToken, f.useCaseId)).token },
    json: { ratings: [{ useCaseId: f.useCaseId, severity: 5 }] },
  }),
  'PATCH /api/v1/use-cases/{useCaseId}': () => ({ json: { confidence: 60 } }),
  'DELETE /api/v1/use-cases/{useCaseId}': async (f) => ({ params: { useCaseId: await make.useCase(f.adminToken) } }),
  'POST /api/v1/use-cases/{useCaseId}/ratings': () => ({ json: { severity: 5 } }),
  'PUT /api/v1/use-cases/{useCaseId}/severity-override': () => ({ json: { severity: 7, reason: 'seen on the line' } }),
  'POST /api/v1/use-cases/{useCaseId}/pipelines': (f) => ({ json: { pipelineId: f.pipelineId } }),
  'DELETE /api/v1/use-cases/{useCaseId}/pipelines/{pipelineId}': async (f) => {
    const useCaseId = await make.useCase(f.adminToken)
    await make.link(f.adminToken, useCaseId, f.pipelineId)
    return { params: { useCaseId, pipelineId: f.pipelineId } }
  },
}

/**
 * Each tRPC procedure (by its path in the router): the action it needs and an input to call it with. The
 * action is written here as well as in `procedureFor(...)`, as the OpenAPI document writes it for REST, so a
 * procedure that changes what it needs fails until someone looks at this table; a procedure missing from it fails too.
 */
export const trpcProcedures: Record<string, [Requirement, (fixtures: Fixtures) => unknown]> = {
  'artifacts.preview': ['artifact:read', (f) => ({ id: f.artifactId })],
  'artifacts.rows': ['artifact:read', (f) => ({ id: f.datasetId, offset: 0, limit: 10 })],
  'artifacts.images': ['artifact:read', (f) => ({ id: f.datasetId, label: 'ok', offset: 0, limit: 10 })],
  'artifacts.imageLabels': ['artifact:read', (f) => ({ id: f.datasetId })],
  'artifacts.describe': ['artifact:read', (f) => ({ id: f.artifactId })],
  'pipelines.list': ['pipeline:read', () => undefined],
  'pipelines.get': ['pipeline:read', (f) => ({ id: f.pipelineId })],
  'pipelines.create': ['pipeline:edit', () => ({ name: unique('walk-trpc') })],
  'pipelines.save': ['pipeline:edit', (f) => ({ id: f.pipelineId, file: pipelineFile(f) })],
  'pipelines.version': ['pipeline:read', (f) => ({ id: f.pipelineId, version: 1 })],
  'pipelines.versions': ['pipeline:read', (f) => ({ id: f.pipelineId })],
  'pipelines.restore': ['pipeline:edit', (f) => ({ id: f.pipelineId, version: 1 })],
  'pipelines.draft.get': ['pipeline:edit', (f) => ({ id: f.pipelineId })],
  'pipelines.draft.save': ['pipeline:edit', (f) => ({ id: f.pipelineId, baseVersion: 1, file: pipelineFile(f) })],
  'pipelines.draft.discard': ['pipeline:edit', (f) => ({ id: f.pipelineId })],
  'runs.get': ['pipeline:read', (f) => ({ id: f.runId })],
  'runs.start': ['pipeline:run', (f) => ({ pipelineId: f.pipelineId })],
  'runs.cancel': ['pipeline:run', (f) => ({ id: f.runId })],
  'runs.retry': ['pipeline:run', (f) => ({ id: f.runId })],
  'runs.rerun': ['pipeline:run', (f) => ({ id: f.runId, nodeId: 'check' })],
  'runs.watch': ['pipeline:read', (f) => ({ id: f.runId })],
  'tokens.list': ['token:manage-own', () => undefined],
  'tokens.create': ['token:manage-own', () => ({ name: 'walk' })],
  // someone else's or an unknown token: answers revoked false, and revokes nothing
  'tokens.revoke': ['token:manage-own', () => ({ id: randomUUID() })],
  'users.list': ['user:manage', () => undefined],
  'users.create': ['user:manage', () => ({ email: `${unique('trpc')}@example.com`, name: 'Via tRPC', role: 'operator', password: 'a fine password' })],
  'users.setRole': ['user:manage', (f) => ({ id: f.spareUserId, role: 'operator' })],
  'users.remove': ['user:manage', async (f) => ({ id: (await make.user(f.adminToken)).id })],
}
