import { TRPCError } from '@trpc/server'
import { expect, it } from 'vitest'
import { ingestValidatePipeline } from '../harness/data'
import { tinyClassifier } from '../harness/onnx-models'
import { call } from '../harness/routes'
import { browserCaller, clientOf, expectLoggedOnce, expectNothingLogged, newEntries, actionsSeen, routes, team, tokenCaller } from './audit.context'

const passwordRoute = await import('@/app/api/v1/me/password/route')
const pipelinesRoute = await import('@/app/api/v1/pipelines/route')
const pipelineRoute = await import('@/app/api/v1/pipelines/[pipelineId]/route')
const runsRoute = await import('@/app/api/v1/pipelines/[pipelineId]/runs/route')
const cancelRoute = await import('@/app/api/v1/runs/[runId]/cancel/route')
const retryRoute = await import('@/app/api/v1/runs/[runId]/retry/route')
const rerunRoute = await import('@/app/api/v1/runs/[runId]/rerun/route')
const uploadsRoute = await import('@/app/api/v1/uploads/route')
const modelVersionsRoute = await import('@/app/api/v1/models/[name]/versions/route')
const aliasRoute = await import('@/app/api/v1/models/[name]/aliases/[alias]/route')
const versionRoute = await import('@/app/api/v1/models/[name]/versions/[version]/route')
const deploymentsRoute = await import('@/app/api/v1/deployments/route')
const deploymentRoute = await import('@/app/api/v1/deployments/[name]/route')
const deploymentActions = {
  rollout: await import('@/app/api/v1/deployments/[name]/rollout/route'),
  pause: await import('@/app/api/v1/deployments/[name]/pause/route'),
  resume: await import('@/app/api/v1/deployments/[name]/resume/route'),
  promote: await import('@/app/api/v1/deployments/[name]/promote/route'),
  rollback: await import('@/app/api/v1/deployments/[name]/rollback/route'),
}
const signInRoute = await import('@/app/api/auth/sign-in/route')
const signOutRoute = await import('@/app/api/auth/sign-out/route')

const file = (name: string) => ingestValidatePipeline(name, 'c'.repeat(64))
const codeOf = (promise: Promise<unknown>) => promise.then(() => 'OK', (error: TRPCError) => error.code)

/** tRPC mutations exercised below, so the last test can tell whether a new one was forgotten. */
export const trpcMutationsChecked = new Set<string>()

/** Pipelines, runs, uploads, users, tokens, setup and sessions: each appears once, with who and which client. */
export function actionTests() {
  it('recorded the setup, the users the owner added and the tokens they made', async () => {
    const entries = await newEntries()
    const lines = entries.map((e) => [e.action, e.actor, e.client, e.outcome])
    expect(lines).toEqual([
      ['setup.owner', 'owner@example.com', 'setup API', 'ok'],
      ...(['engineer', 'operator', 'pm'] as const).flatMap((role) => [
        ['user.create', 'owner@example.com', 'token "setup"', 'ok'],
        ['token.create', team[role].actor.email, 'browser session', 'ok'],
      ]),
    ])
    expect(entries[1]!.target).toBe('user eng@example.com')
    expect(entries[1]!.details).toMatchObject({ role: 'engineer', userId: team.engineer.actor.id })
    expect(JSON.stringify(entries)).not.toContain(team.engineer.token)
    for (const action of ['setup.owner', 'user.create', 'token.create']) actionsSeen.add(action)
  })

  it('records pipeline and run changes made with a token, naming the token', async () => {
    const eng = team.engineer
    const created = await call(pipelinesRoute.POST, 'POST', '/api/v1/pipelines', {}, { token: eng.token, json: file('audited') })
    expect(created.status).toBe(201)
    const id = created.body.id as string
    const createdEntry = await expectLoggedOnce({ action: 'pipeline.create', actor: eng.actor.email, client: clientOf(eng), target: `pipeline ${id}` })
    expect(createdEntry.details).toEqual({ name: 'audited', version: 1 })

    const saved = await call(pipelineRoute.PUT, 'PUT', `/api/v1/pipelines/${id}?message=tighter`, { pipelineId: id }, { token: eng.token, json: file('audited') })
    expect(saved.status).toBe(200)
    const entry = await expectLoggedOnce({ action: 'pipeline.save', actor: eng.actor.email, client: clientOf(eng), target: `pipeline ${id}` })
    expect(entry.details).toEqual({ version: 2, message: 'tighter' })

    const run = await call(runsRoute.POST, 'POST', '', { pipelineId: id }, { token: eng.token, json: { noCache: true } })
    expect(run.status).toBe(201)
    const runId = run.body.runId as string
    await expectLoggedOnce({ action: 'run.start', actor: eng.actor.email, client: clientOf(eng), target: `run ${runId}` })
    expect((await call(cancelRoute.POST, 'POST', '', { runId }, { token: eng.token })).body).toEqual({ canceled: true })
    await expectLoggedOnce({ action: 'run.cancel', actor: eng.actor.email, client: clientOf(eng), target: `run ${runId}` })
    expect((await call(retryRoute.POST, 'POST', '', { runId }, { token: eng.token })).status).toBe(200)
    await expectLoggedOnce({ action: 'run.retry', actor: eng.actor.email, client: clientOf(eng), target: `run ${runId}` })
    // a re-run needs a run that has ended (no step runs in this suite: cancel it)
    await call(cancelRoute.POST, 'POST', '', { runId }, { token: eng.token })
    await newEntries()
    const rerun = await call(rerunRoute.POST, 'POST', '', { runId }, { token: eng.token, json: { nodeId: 'check' } })
    expect(rerun.status).toBe(201)
    const rerunEntry = await expectLoggedOnce({ action: 'run.rerun', actor: eng.actor.email, client: clientOf(eng), target: `run ${rerun.body.runId}` })
    expect(rerunEntry.details).toEqual({ rerunOf: runId, nodeId: 'check' })

    const upload = await call(uploadsRoute.POST, 'POST', '/api/v1/uploads?filename=a.csv', {}, { token: eng.token, body: 'a,b\n1,2\n' })
    expect(upload.status).toBe(201)
    await expectLoggedOnce({ action: 'artifact.upload', actor: eng.actor.email, client: clientOf(eng), target: `artifact ${upload.body.artifactId}` })
  })

  it('records a model import and every alias move with where the alias pointed before and after', async () => {
    const eng = team.engineer
    const params = { name: 'audited-model' }
    for (const version of [1, 2]) {
      const imported = await call(modelVersionsRoute.POST, 'POST', '/api/v1/models/audited-model/versions', params, { token: eng.token, body: tinyClassifier() })
      expect(imported.body).toEqual({ name: 'audited-model', version })
      await expectLoggedOnce({ action: 'model.import', actor: eng.actor.email, client: clientOf(eng), target: `model audited-model version ${version}` })
    }
    const move = (version: number) =>
      call(aliasRoute.PUT, 'PUT', '/api/v1/models/audited-model/aliases/champion', { ...params, alias: 'champion' }, { token: eng.token, json: { version } })
    expect((await move(1)).body).toEqual({ name: 'audited-model', alias: 'champion', from: null, to: 1 })
    const first = await expectLoggedOnce({ action: 'model.alias-move', actor: eng.actor.email, client: clientOf(eng), target: 'model audited-model alias champion' })
    expect(first.details).toEqual({ model: 'audited-model', alias: 'champion', from: null, to: 1 })
    expect((await move(2)).status).toBe(200)
    const second = await expectLoggedOnce({ action: 'model.alias-move', actor: eng.actor.email, client: clientOf(eng) })
    expect(second.details).toEqual({ model: 'audited-model', alias: 'champion', from: 1, to: 2 })
    // a move to a version that does not exist changed nothing: a 404, and nothing logged
    expect((await move(9)).status).toBe(404)
    await expectNothingLogged()

    const notes = (json: unknown) => call(versionRoute.PATCH, 'PATCH', '/api/v1/models/audited-model/versions/2', { ...params, version: '2' }, { token: eng.token, json })
    expect((await notes({ description: 'Retrained on March data.', tags: ['vision', 'candidate'] })).status).toBe(200)
    const edited = await expectLoggedOnce({ action: 'model.update', actor: eng.actor.email, client: clientOf(eng), target: 'model audited-model version 2' })
    expect(edited.details).toEqual({ before: { description: null, tags: [] }, after: { description: 'Retrained on March data.', tags: ['vision', 'candidate'] } })
    expect((await notes({ tags: ['bad tag!'] })).status).toBe(400)
    await expectNothingLogged()
  })

  it('records every deployment change: create, rollout, pause, resume, promote, rollback, settings', async () => {
    const op = team.operator
    const params = { name: 'audited-deployment' }
    const created = await call(deploymentsRoute.POST, 'POST', '/api/v1/deployments', {}, { token: op.token, json: { name: 'audited-deployment', model: 'audited-model', version: 1 } })
    expect(created.status).toBe(201)
    const entry = await expectLoggedOnce({ action: 'deployment.create', actor: op.actor.email, client: clientOf(op), target: 'deployment audited-deployment' })
    expect(entry.details).toEqual({ model: 'audited-model', version: 1 })
    const steps: [keyof typeof deploymentActions, unknown][] = [
      ['rollout', { version: 2, strategy: 'canary', weight: 10 }],
      ['pause', undefined],
      ['resume', undefined],
      ['promote', undefined],
      ['rollback', undefined],
    ]
    for (const [action, json] of steps) {
      const answer = await call(deploymentActions[action].POST, 'POST', `/api/v1/deployments/audited-deployment/${action}`, params, { token: op.token, json })
      expect(answer.status, `${action}: ${JSON.stringify(answer.body)}`).toBe(200)
      await expectLoggedOnce({ action: `deployment.${action}`, actor: op.actor.email, client: clientOf(op), target: 'deployment audited-deployment' })
    }
    expect((await call(deploymentRoute.PATCH, 'PATCH', '/api/v1/deployments/audited-deployment', params, { token: op.token, json: { logSample: 0.25 } })).status).toBe(200)
    const settings = await expectLoggedOnce({ action: 'deployment.update', actor: op.actor.email, client: clientOf(op) })
    expect(settings.details).toEqual({ logSample: 0.25 })
    // a refused rollout changed nothing: a 409, nothing logged
    expect((await call(deploymentActions.rollout.POST, 'POST', '/api/v1/deployments/audited-deployment/rollout', params, { token: op.token, json: { version: 1, strategy: 'shadow' } })).status).toBe(409)
    await expectNothingLogged()
  })

  it('records a 403 as refused, with who tried and what', async () => {
    const op = team.operator
    const denied = await call(pipelinesRoute.POST, 'POST', '/api/v1/pipelines', {}, { token: op.token, json: file('sneaky') })
    expect(denied.status).toBe(403)
    const entry = await expectLoggedOnce({ action: 'pipeline.create', actor: op.actor.email, client: clientOf(op), outcome: 'refused' })
    expect(entry.details).toMatchObject({ method: 'POST', path: '/api/v1/pipelines', reason: expect.stringMatching(/operator/) })

    const eng = team.engineer
    const json = { email: 'x@example.com', name: 'X', role: 'admin', password: 'sneaky-pass' }
    expect((await call(routes.users.POST, 'POST', '/api/v1/users', {}, { token: eng.token, json })).status).toBe(403)
    await expectLoggedOnce({ action: 'user.create', actor: eng.actor.email, client: clientOf(eng), outcome: 'refused' })

    const asOperator = await browserCaller(op)
    expect(await codeOf(asOperator.pipelines.create({ name: 'sneaky' }))).toBe('FORBIDDEN')
    const viaTrpc = await expectLoggedOnce({ action: 'pipeline.create', actor: op.actor.email, client: 'browser session', outcome: 'refused' })
    expect(viaTrpc.details).toMatchObject({ procedure: 'pipelines.create' })
  })

  it('records nothing for reads, bad input, unknown ids, anonymous calls or draft autosaves', async () => {
    const eng = team.engineer
    await call(pipelinesRoute.GET, 'GET', '/api/v1/pipelines', {}, { token: eng.token })
    expect((await call(pipelinesRoute.POST, 'POST', '', {}, { token: eng.token, json: { nodes: 'no' } })).status).toBe(400)
    expect((await call(cancelRoute.POST, 'POST', '', { runId: '00000000-0000-4000-8000-000000000000' }, { token: eng.token })).status).toBe(404)
    expect((await call(pipelinesRoute.POST, 'POST', '', {}, { json: file('anon') })).status).toBe(401)
    const caller = await browserCaller(eng)
    const { id } = await caller.pipelines.create({ name: 'drafted' })
    await newEntries()
    await caller.pipelines.draft.save({ id, baseVersion: 1, file: file('drafted') })
    await caller.pipelines.draft.discard({ id })
    await expectNothingLogged()
  })

  it('records the canvas and the Users and Tokens pages (tRPC) from the browser session', async () => {
    const admin = await browserCaller(team.admin)
    const me = team.admin.actor.email
    const { id } = await admin.pipelines.create({ name: 'via-canvas' })
    await expectLoggedOnce({ action: 'pipeline.create', actor: me, client: 'browser session', target: `pipeline ${id}` })
    await admin.pipelines.save({ id, file: file('via-canvas'), message: 'second' })
    await expectLoggedOnce({ action: 'pipeline.save', actor: me, client: 'browser session', target: `pipeline ${id}` })
    const restored = await admin.pipelines.restore({ id, version: 1 })
    const entry = await expectLoggedOnce({ action: 'pipeline.restore', actor: me, client: 'browser session', target: `pipeline ${id}` })
    expect(entry.details).toEqual({ restored: 1, version: restored.version })

    const { runId } = await admin.runs.start({ pipelineId: id, version: 2 })
    await expectLoggedOnce({ action: 'run.start', actor: me, client: 'browser session', target: `run ${runId}` })
    await admin.runs.cancel({ id: runId })
    await expectLoggedOnce({ action: 'run.cancel', actor: me, client: 'browser session' })
    await admin.runs.retry({ id: runId })
    await expectLoggedOnce({ action: 'run.retry', actor: me, client: 'browser session' })
    await admin.runs.cancel({ id: runId })
    await newEntries()
    const rerun = await admin.runs.rerun({ id: runId, nodeId: 'load' })
    await expectLoggedOnce({ action: 'run.rerun', actor: me, client: 'browser session', target: `run ${rerun.runId}` })

    const user = await admin.users.create({ email: 'temp@example.com', name: 'Temp', role: 'operator', password: 'temp-password' })
    await expectLoggedOnce({ action: 'user.create', actor: me, client: 'browser session', target: 'user temp@example.com' })
    await admin.users.setRole({ id: user.id, role: 'engineer' })
    const changed = await expectLoggedOnce({ action: 'user.role-change', actor: me, client: 'browser session', target: 'user temp@example.com' })
    expect(changed.details).toMatchObject({ role: 'engineer' })
    await admin.users.remove({ id: user.id })
    await expectLoggedOnce({ action: 'user.remove', actor: me, client: 'browser session', target: 'user temp@example.com' })

    const token = await admin.tokens.create({ name: 'throwaway' })
    const made = await expectLoggedOnce({ action: 'token.create', actor: me, client: 'browser session', target: `token ${token.id}` })
    expect(made.details).toEqual({ name: 'throwaway', prefix: token.prefix, expiresInDays: null })
    await admin.tokens.revoke({ id: token.id })
    await expectLoggedOnce({ action: 'token.revoke', actor: me, client: 'browser session', target: `token ${token.id}` })

    for (const path of ['pipelines.create', 'pipelines.save', 'pipelines.restore', 'runs.start', 'runs.cancel', 'runs.retry', 'runs.rerun', 'users.create', 'users.setRole', 'users.remove', 'tokens.create', 'tokens.revoke']) {
      trpcMutationsChecked.add(path)
    }
  })

  it('names the token when tRPC is called with one, even the token being revoked', async () => {
    const pm = team.pm
    const spare = await (await browserCaller(pm)).tokens.create({ name: 'spare' })
    await newEntries()
    const withSpare = await tokenCaller({ ...pm, token: spare.token })
    await withSpare.tokens.revoke({ id: spare.id })
    await expectLoggedOnce({ action: 'token.revoke', actor: pm.actor.email, client: 'token "spare"', target: `token ${spare.id}` })
  })

  it('records role changes and removals through REST', async () => {
    const created = await call(routes.users.POST, 'POST', '/api/v1/users', {}, { token: team.admin.token, json: { email: 'rest@example.com', name: 'Rest', role: 'pm', password: 'a fine password' } })
    await newEntries()
    const userId = created.body.id as string
    await call(routes.user.PATCH, 'PATCH', '', { userId }, { token: team.admin.token, json: { role: 'operator' } })
    await expectLoggedOnce({ action: 'user.role-change', actor: 'owner@example.com', client: 'token "setup"', target: 'user rest@example.com' })
    await call(routes.user.DELETE, 'DELETE', '', { userId }, { token: team.admin.token })
    await expectLoggedOnce({ action: 'user.remove', actor: 'owner@example.com', client: 'token "setup"', target: 'user rest@example.com' })
  })

  it('records signing in (and failing to), and signing out', async () => {
    const good = await call(signInRoute.POST, 'POST', '/api/auth/sign-in', {}, { json: { email: 'PM@example.com', password: 'a fine password' } })
    expect(good.status).toBe(200)
    await expectLoggedOnce({ action: 'session.sign-in', actor: 'pm@example.com', client: 'browser session' })
    const bad = await call(signInRoute.POST, 'POST', '/api/auth/sign-in', {}, { json: { email: 'pm@example.com', password: 'guess' } })
    expect(bad.status).toBe(401)
    const refused = await expectLoggedOnce({ action: 'session.sign-in', actor: 'pm@example.com', client: 'browser session', outcome: 'refused' })
    expect(refused.actorId).toBeNull()
    const cookie = good.headers.get('set-cookie')!.split(';')[0]!
    await call(signOutRoute.POST, 'POST', '/api/auth/sign-out', {}, { headers: { cookie } })
    await expectLoggedOnce({ action: 'session.sign-out', actor: 'pm@example.com', client: 'browser session' })
    await call(signOutRoute.POST, 'POST', '/api/auth/sign-out', {}, { headers: { cookie } })
    await expectNothingLogged()
  })

  it('records a password change, never the passwords', async () => {
    const changed = await call(passwordRoute.POST, 'POST', '/api/v1/me/password', {}, { token: team.pm.token, json: { currentPassword: 'a fine password', newPassword: 'an even finer password' } })
    expect(changed.status).toBe(200)
    const entry = await expectLoggedOnce({ action: 'user.password-change', actor: 'pm@example.com', client: `token "${team.pm.tokenName}"` })
    expect(JSON.stringify(entry.details)).not.toMatch(/finer|fine password/)
  })
}
