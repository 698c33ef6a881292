import fs from 'node:fs'
import path from 'node:path'
import { expect } from 'vitest'
import { roles, type Role } from '@/db/schema'
import { createApiToken, revokeApiToken } from '@/server/auth/accounts'
import { roleMeets } from '@/server/auth/permissions'
import type { DocumentedAction } from '@/server/http/openapi-helpers'
import { getRunDetail } from '@/server/runner/runs'
import { isTerminalRun } from '@/server/runner/states'
import { getServices } from '@/server/services'
import { ingestValidatePipeline } from '../harness/data'
import { storeImageDataset } from '../harness/images'
import { tinyClassifier } from '../harness/onnx-models'
import { call, type CallOptions } from '../harness/routes'

// imported by access.suite.ts after the test file has set the environment (PGlite or PostgreSQL)

/** A route module as Next.js loads it: one function per HTTP method. */
export type RouteModule = Record<string, (request: Request, context: { params: Promise<Record<string, string>> }) => Promise<Response>>

export interface RouteFile {
  /** the path as the OpenAPI document writes it: /api/v1/use-cases/{useCaseId} */
  path: string
  methods: string[]
  module: RouteModule
}

const httpMethods = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']

/** Every app/api/**\/route.ts on disk, so a route added tomorrow is walked without anyone listing it. */
/** Every route file under app/api and app/v2 (the inference protocol). */
export async function routeFiles(): Promise<RouteFile[]> {
  const root = path.join(process.cwd(), 'app')
  const files = ['api', 'v2'].flatMap((top) =>
    fs
      .readdirSync(path.join(root, top), { recursive: true, encoding: 'utf8' })
      .filter((f) => path.basename(f) === 'route.ts')
      .map((f) => `${top}/${f.split(path.sep).join('/')}`),
  )
  return Promise.all(
    files.sort().map(async (file) => {
      const module = (await import(path.join(root, file))) as RouteModule
      const dir = path.dirname(`/${file}`)
      return { path: dir.replace(/\[(\w+)\]/g, '{$1}'), methods: httpMethods.filter((m) => typeof module[m] === 'function'), module }
    }),
  )
}

/** Who calls: nobody, a made-up token, a token its owner revoked, or a real token of each role. */
export interface Credential {
  label: string
  token?: string
  role?: Role
}

export type Outcome = 401 | 403 | 'allowed'

/** What the table says this caller gets: the expectation every walk compares answers with. */
export function expectedOutcome(action: DocumentedAction, credential: Credential): Outcome {
  if (action === 'public') return 'allowed'
  if (!credential.role) return 401
  return roleMeets(credential.role, action) ? 'allowed' : 403
}

/** Objects the walk's requests name in their paths and bodies, made once by the admin. */
export interface Fixtures {
  adminToken: string
  credentials: Credential[]
  tokens: Record<Role, string>
  artifactId: string
  /** an image dataset (its rows) and one of its images (the blob route) */
  datasetId: string
  imageBlobId: string
  pipelineId: string
  runId: string
  /** a registered model with versions 1 and 2, and a deployment of the same name serving version 1 */
  modelName: string
  useCaseId: string
  inviteId: string
  inviteToken: string
  /** a user whose role the walk may change */
  spareUserId: string
  signIn: { email: string; password: string }
}

let counter = 0
/** A name no earlier call used, so creating things never collides with an earlier call. */
export const unique = (prefix: string) => `${prefix}-${Date.now().toString(36)}-${++counter}`

const routes = {
  setup: await import('@/app/api/v1/setup/route'),
  users: await import('@/app/api/v1/users/route'),
  uploads: await import('@/app/api/v1/uploads/route'),
  modelVersions: await import('@/app/api/v1/models/[name]/versions/route'),
  pipelines: await import('@/app/api/v1/pipelines/route'),
  runs: await import('@/app/api/v1/pipelines/[pipelineId]/runs/route'),
  useCases: await import('@/app/api/v1/use-cases/route'),
  invites: await import('@/app/api/v1/use-cases/invites/route'),
  links: await import('@/app/api/v1/use-cases/[useCaseId]/pipelines/route'),
  deployments: await import('@/app/api/v1/deployments/route'),
  rollout: await import('@/app/api/v1/deployments/[name]/rollout/route'),
  pause: await import('@/app/api/v1/deployments/[name]/pause/route'),
}

/** Made through the API as the admin: what the walk's destructive calls use up, one per call. */
export const make = {
  async user(adminToken: string, role: Role = 'operator', password = 'a fine password') {
    const email = `${unique(role)}@example.com`
    const created = await call(routes.users.POST, 'POST', '/api/v1/users', {}, { token: adminToken, json: { email, name: `Walk ${role}`, role, password } })
    expect(created.status, 'the admin adds a user').toBe(201)
    return { id: created.body.id as string, email, password }
  },
  async useCase(adminToken: string) {
    const created = await call(routes.useCases.POST, 'POST', '/api/v1/use-cases', {}, { token: adminToken, json: { title: unique('Walk use case') } })
    expect(created.status, 'the admin creates a use case').toBe(201)
    return created.body.id as string
  },
  async invite(adminToken: string, useCaseId: string) {
    const created = await call(routes.invites.POST, 'POST', '/api/v1/use-cases/invites', {}, { token: adminToken, json: { raterName: 'Walk rater', useCaseId } })
    expect(created.status, 'the admin makes a rating link').toBe(201)
    return { id: created.body.id as string, token: new URL(created.body.url as string).pathname.split('/').at(-1)! }
  },
  /** A deployment of version 1, as it is, or with version 2 out as a 10% canary (paused, too: only a rollout pauses). */
  async deployment(adminToken: string, model: string, as: 'plain' | 'canary' | 'paused' = 'plain', name = unique('walk')) {
    const created = await call(routes.deployments.POST, 'POST', '/api/v1/deployments', {}, { token: adminToken, json: { name, model, version: 1 } })
    expect(created.status, `the admin deploys ${model}: ${JSON.stringify(created.body)}`).toBe(201)
    if (as === 'canary' || as === 'paused') {
      const out = await call(routes.rollout.POST, 'POST', `/api/v1/deployments/${name}/rollout`, { name }, { token: adminToken, json: { version: 2, strategy: 'canary', weight: 10 } })
      expect(out.status, 'the admin rolls out a canary').toBe(200)
    }
    if (as === 'paused') {
      const paused = await call(routes.pause.POST, 'POST', `/api/v1/deployments/${name}/pause`, { name }, { token: adminToken })
      expect(paused.status, 'the admin pauses it').toBe(200)
    }
    return name
  },
  async link(adminToken: string, useCaseId: string, pipelineId: string) {
    const linked = await call(routes.links.POST, 'POST', `/api/v1/use-cases/${useCaseId}/pipelines`, { useCaseId }, { token: adminToken, json: { pipelineId } })
    expect(linked.status, 'the admin links a pipeline').toBe(201)
  },
}

async function waitForRunEnd(runId: string): Promise<void> {
  const db = (await getServices()).db
  for (let tries = 0; tries < 600; tries++) {
    if (isTerminalRun((await getRunDetail(db, runId)).status)) return
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
  throw new Error(`the fixture run ${runId} did not end within 30 s`)
}

async function adminPost<P>(handler: (request: Request, context: { params: Promise<P> }) => Promise<Response>, url: string, params: P, options: CallOptions) {
  const answer = await call(handler, 'POST', url, params, options)
  expect(answer.status, `POST ${url}: ${JSON.stringify(answer.body)}`).toBe(201)
  return answer.body
}

/** The team (one user a role), the three kinds of bad credential, and one of each object. */
export async function prepareFixtures(): Promise<Fixtures> {
  const db = (await getServices()).db
  const setup = await adminPost(routes.setup.POST, '/api/v1/setup', {}, { json: { email: 'owner@example.com', password: 'correct horse battery', name: 'Owner' } })
  const adminToken = setup.token as string
  const tokens = { admin: adminToken } as Record<Role, string>
  for (const role of roles.filter((r) => r !== 'admin')) {
    const user = await make.user(adminToken, role)
    tokens[role] = (await createApiToken(db, user.id, 'walk')).token
  }
  const revoked = await createApiToken(db, setup.user.id, 'revoked')
  expect(await revokeApiToken(db, setup.user.id, revoked.id)).toBe(true)
  const credentials: Credential[] = [
    { label: 'no credentials' },
    { label: 'a garbage token', token: `pw_tok_${'x'.repeat(40)}` },
    { label: "the admin's revoked token", token: revoked.token },
    ...roles.map((role) => ({ label: role, role, token: tokens[role] })),
  ]

  const upload = await adminPost(routes.uploads.POST, '/api/v1/uploads?filename=walk.csv', {}, { token: adminToken, body: 'id,value\n1,2\n' })
  const artifactId = upload.artifactId as string
  const pipeline = await adminPost(routes.pipelines.POST, '/api/v1/pipelines', {}, { token: adminToken, json: ingestValidatePipeline('access-walk', artifactId, []) })
  const pipelineId = pipeline.id as string
  const run = await adminPost(routes.runs.POST, `/api/v1/pipelines/${pipelineId}/runs`, { pipelineId }, { token: adminToken })
  // a re-run needs a run that has ended
  await waitForRunEnd(run.runId as string)
  const images = await storeImageDataset(await getServices(), [{ label: 'ok', rgb: [200, 200, 200] }])
  const useCaseId = await make.useCase(adminToken)
  const modelName = 'access-walk-model'
  await adminPost(routes.modelVersions.POST, `/api/v1/models/${modelName}/versions`, { name: modelName }, { token: adminToken, body: tinyClassifier() })
  await adminPost(routes.modelVersions.POST, `/api/v1/models/${modelName}/versions`, { name: modelName }, { token: adminToken, body: tinyClassifier() })
  // deployment routes take {name} too: the walk's default deployment is named as the model
  await make.deployment(adminToken, modelName, 'plain', modelName)
  const invite = await make.invite(adminToken, useCaseId)
  const spare = await make.user(adminToken, 'operator')
  const signIn = await make.user(adminToken, 'operator', 'sign in with this')
  return {
    adminToken,
    credentials,
    tokens,
    artifactId,
    datasetId: images.datasetId,
    imageBlobId: images.imageIds[0]!,
    pipelineId,
    runId: run.runId as string,
    modelName,
    useCaseId,
    inviteId: invite.id,
    inviteToken: invite.token,
    spareUserId: spare.id,
    signIn: { email: signIn.email, password: signIn.password },
  }
}
