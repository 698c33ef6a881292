// The deploy node in a real pipeline on PGlite with one in-process worker: the first run creates
// the deployment and it answers predictions; the next run rolls version 2 out as a canary; with
// approval the step waits (holding no worker, surviving a restart) until an operator approves,
// and a rejection fails the step with who rejected it and why.
import { eq } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { approvals, auditLog, deploymentEvents } from '@/db/schema'
import { tempDir } from '../harness/backends'
import { call } from '../harness/routes'
import { savePipeline, waitFor, waitForRun } from '../harness/run-pipeline'

process.env.PIPEWRIGHT_DATA_DIR = tempDir('deploy-node')
process.env.LOG_LEVEL = 'silent'
delete process.env.DATABASE_URL
delete process.env.REDIS_URL

const services = await import('@/server/services')
const { startRunningSteps } = await import('@/server/runner/step-runner')
const started = new WeakSet<object>()

/** The app's services with one in-process worker: a waiting step must not need a second. */
async function getServices() {
  const current = await services.getServices()
  if (!started.has(current)) {
    started.add(current)
    await startRunningSteps(current, 1)
  }
  return current
}
const { startRun, getRunDetail } = await import('@/server/runner/runs')
const { findDeployment } = await import('@/server/deployments/deployments')
const { deploymentsNow } = await import('@/server/approvals/deployments-now')
const { createApiToken, createUser } = await import('@/server/auth/accounts')
const setupRoute = await import('@/app/api/v1/setup/route')
const predictRoute = await import('@/app/api/v1/deployments/[name]/predict/route')
const approveRoute = await import('@/app/api/v1/runs/[runId]/steps/[nodeId]/approve/route')
const rejectRoute = await import('@/app/api/v1/runs/[runId]/steps/[nodeId]/reject/route')

interface DeployNodeConfig {
  deployment: string
  strategy?: string
  weight?: number
  approval?: boolean
}

/** ingest → split → train (built-in logistic regression, registered) → deploy; `seed` makes another model. */
function pipeline(name: string, deploy: DeployNodeConfig, seed = 42) {
  return {
    apiVersion: 'pipewright/v1',
    name,
    nodes: [
      { id: 'load', kind: 'ingest', config: { source: { type: 'sample', name: 'penguins' } } },
      { id: 'split', kind: 'split', config: { stratifyBy: 'species', seed: 1 } },
      {
        id: 'train',
        kind: 'train-handoff',
        config: { trainer: { type: 'builtin', algorithm: 'logistic-regression', label: 'species', features: ['bill_length_mm', 'flipper_length_mm', 'island'] }, registerAs: name, seed },
      },
      { id: 'deploy', kind: 'deploy', config: { target: 'server', ...deploy } },
    ],
    edges: [
      { from: 'load.dataset', to: 'split.dataset' },
      { from: 'split.train', to: 'train.train' },
      { from: 'train.model', to: 'deploy.model' },
    ],
  }
}

const steps = (run: Awaited<ReturnType<typeof getRunDetail>>) => JSON.stringify(run.steps.map((s) => [s.nodeId, s.status, s.error]))

async function runPipeline(file: ReturnType<typeof pipeline>) {
  const current = await getServices()
  const pipelineId = await savePipeline(current, file)
  const { runId } = await startRun(current, pipelineId)
  return { runId, pipelineId }
}

async function waitForApproval(runId: string) {
  const current = await getServices()
  await waitFor('the deploy step to wait for approval', async () => {
    const run = await getRunDetail(current.db, runId)
    if (run.status === 'failed') throw new Error(`the run failed: ${steps(run)}`)
    return run.steps.find((s) => s.nodeId === 'deploy')!.status === 'waiting' ? true : undefined
  }, 120_000)
}

const tokens = { owner: '', operator: '', engineer: '', pm: '' }
const penguin = { bill_length_mm: 39.1, flipper_length_mm: 181, island: 'Torgersen' }

const predict = (name: string) => call(predictRoute.POST, 'POST', `/api/v1/deployments/${name}/predict`, { name }, { token: tokens.owner, json: { records: [penguin] } })
const approve = (runId: string, token: string, nodeId = 'deploy', json?: unknown) =>
  call(approveRoute.POST, 'POST', `/api/v1/runs/${runId}/steps/${nodeId}/approve`, { runId, nodeId }, { token, ...(json !== undefined ? { json } : {}) })
const reject = (runId: string, token: string, json?: unknown) => call(rejectRoute.POST, 'POST', `/api/v1/runs/${runId}/steps/deploy/reject`, { runId, nodeId: 'deploy' }, { token, ...(json !== undefined ? { json } : {}) })

beforeAll(async () => {
  const current = await getServices()
  tokens.owner = (await call(setupRoute.POST, 'POST', '/api/v1/setup', {}, { json: { email: 'owner@example.com', password: 'correct horse battery', name: 'Owner' } })).body.token
  for (const role of ['operator', 'engineer', 'pm'] as const) {
    const user = await createUser(current.db, { email: `${role}@example.com`, name: role, role, password: 'a fine password' })
    tokens[role] = (await createApiToken(current.db, user.id, 'test')).token
  }
}, 60_000)
afterAll(async () => {
  await services.closeServices(await getServices())
})

describe('a deploy step', () => {
  it('creates the deployment on the first run (answering predictions), then rolls version 2 out as a canary', async () => {
    const current = await getServices()
    const first = await runPipeline(pipeline('deploy-penguins', { deployment: 'penguin-api' }))
    const run = await waitForRun(current, first.runId, 120_000)
    expect(run.status, steps(run)).toBe('succeeded')

    const row = await findDeployment(current.db, 'penguin-api')
    expect(row).toMatchObject({ modelName: 'deploy-penguins', stableVersion: 1, challengerVersion: null, target: 'server', pipelineId: first.pipelineId })
    const [created] = await current.db.select().from(deploymentEvents).where(eq(deploymentEvents.deploymentId, row.id))
    expect(created).toMatchObject({ action: 'create', actorLabel: `run ${first.runId}` })
    const answered = await predict('penguin-api')
    expect(answered.status, JSON.stringify(answered.body)).toBe(200)
    expect(answered.body).toMatchObject({ modelVersion: 1, predictions: [{ label: expect.stringMatching(/^(Adelie|Chinstrap|Gentoo)$/) }] })

    // the step's output is a reference to the live deployment
    const output = run.steps.find((s) => s.nodeId === 'deploy')!.outputs!.deployment!
    const reference = JSON.parse((await import('node:fs')).readFileSync(await current.store.localPath(output), 'utf8'))
    expect(reference).toMatchObject({ deployment: 'penguin-api', model: 'deploy-penguins', version: 1, action: 'create', predictUrl: '/api/v1/deployments/penguin-api/predict' })

    const second = await runPipeline(pipeline('deploy-penguins', { deployment: 'penguin-api', strategy: 'canary', weight: 25 }, 7))
    const rolled = await waitForRun(current, second.runId, 120_000)
    expect(rolled.status, steps(rolled)).toBe('succeeded')
    expect(await findDeployment(current.db, 'penguin-api')).toMatchObject({ stableVersion: 1, challengerVersion: 2, challengerStrategy: 'canary', weight: 25 })
    const history = await current.db.select().from(deploymentEvents).where(eq(deploymentEvents.deploymentId, row.id))
    expect(history.map((e) => [e.action, e.actorLabel])).toContainEqual(['rollout', `run ${second.runId}`])

    // the same pipeline again trains the same model: the deploy step runs (never cached) and finds the canary already out
    const again = await runPipeline(pipeline('deploy-penguins', { deployment: 'penguin-api', strategy: 'canary', weight: 25 }, 7))
    const unchanged = await waitForRun(current, again.runId, 120_000)
    expect(unchanged.status, steps(unchanged)).toBe('succeeded')
    const said = JSON.parse((await import('node:fs')).readFileSync(await current.store.localPath(unchanged.steps.at(-1)!.outputs!.deployment!), 'utf8'))
    expect(said).toMatchObject({ action: 'unchanged', version: 2, strategy: 'canary', weight: 25 })

    // "single" takes the canary's version to every request, keeping version 1 to roll back to
    const single = await runPipeline(pipeline('deploy-penguins', { deployment: 'penguin-api', strategy: 'single' }, 7))
    expect((await waitForRun(current, single.runId, 120_000)).status).toBe('succeeded')
    expect(await findDeployment(current.db, 'penguin-api')).toMatchObject({ stableVersion: 2, previousVersion: 1, challengerVersion: null })
    await waitFor('version 2 to answer', async () => ((await predict('penguin-api')).body.modelVersion === 2 ? true : undefined), 10_000)
  }, 240_000)

  it('fails, saying why, when the deployment serves another model', async () => {
    const current = await getServices()
    const { runId } = await runPipeline(pipeline('other-penguins', { deployment: 'penguin-api' }))
    const run = await waitForRun(current, runId, 120_000)
    expect(run.status).toBe('failed')
    expect(run.steps.find((s) => s.nodeId === 'deploy')!.error).toBe(
      'The deployment "penguin-api" serves model "deploy-penguins", not "other-penguins": deploy to another name, or register this model as "deploy-penguins".',
    )
  }, 180_000)
})

describe('a deploy step with approval', () => {
  it('waits without holding the worker, survives a restart, refuses a pm, and deploys once an operator approves', async () => {
    let current = await getServices()
    const { runId, pipelineId } = await runPipeline(pipeline('approved-penguins', { deployment: 'approved-api', approval: true }))
    await waitForApproval(runId)
    const parked = await getRunDetail(current.db, runId)
    expect(parked.status).toBe('waiting')
    // what the run page and the canvas say the step waits for
    expect(parked.steps.map((s) => [s.nodeId, s.waitingFor])).toEqual([['load', null], ['split', null], ['train', null], ['deploy', 'approval']])
    await expect(findDeployment(current.db, 'approved-api')).rejects.toThrow(/No deployment named "approved-api"/)
    const [asked] = await current.db.select().from(approvals).where(eq(approvals.runId, runId))
    expect(await deploymentsNow(current.db, asked!.outputs)).toEqual([{ name: 'approved-api', serving: null }])

    // the only worker slot is free: another pipeline runs to the end meanwhile
    const other = await startRun(current, await savePipeline(current, { apiVersion: 'pipewright/v1', name: 'meanwhile', nodes: [{ id: 'load', kind: 'ingest', config: { source: { type: 'sample', name: 'penguins' } } }], edges: [] } as { name: string }))
    expect((await waitForRun(current, other.runId)).status).toBe('succeeded')

    // as a restart does: the database closed and opened again, a new worker, nothing kept in memory
    await services.closeServices(current)
    delete (globalThis as { __pipewrightServices?: unknown }).__pipewrightServices
    current = await getServices()
    expect((await getRunDetail(current.db, runId)).steps.find((s) => s.nodeId === 'deploy')!.status).toBe('waiting')

    const pm = await approve(runId, tokens.pm)
    expect(pm.status).toBe(403)
    expect(pm.body.error).toMatch(/Your role \(pm\) may not/)
    const notWaiting = await approve(runId, tokens.operator, 'train')
    expect([notWaiting.status, notWaiting.body.error]).toEqual([409, 'Step "train" does not wait for approval.'])
    expect((await approve(runId, tokens.operator, 'deploy', { comment: 'x'.repeat(2001) })).status).toBe(400)

    const approved = await approve(runId, tokens.operator, 'deploy', { comment: 'metrics look fine' })
    expect(approved.status, JSON.stringify(approved.body)).toBe(200)
    expect(approved.body).toMatchObject({ decision: 'approved', step: 'succeeded' })
    const run = await waitForRun(current, runId)
    expect(run.status, steps(run)).toBe('succeeded')
    const row = await findDeployment(current.db, 'approved-api')
    expect(row).toMatchObject({ modelName: 'approved-penguins', stableVersion: 1, pipelineId })
    const [created] = await current.db.select().from(deploymentEvents).where(eq(deploymentEvents.deploymentId, row.id))
    expect(created).toMatchObject({ action: 'create', actorLabel: 'operator@example.com' })
    expect((await predict('approved-api')).body).toMatchObject({ modelVersion: 1 })
    const [audited] = await current.db.select().from(auditLog).where(eq(auditLog.target, `run ${runId} step deploy`))
    expect(audited).toMatchObject({ action: 'deployment.approve', actor: 'operator@example.com' })

    const again = await approve(runId, tokens.operator)
    expect(again.status).toBe(410)
    expect(again.body.error).toBe('Step "deploy" was already approved by operator@example.com.')
  }, 240_000)

  it('fails the step with who rejected it and why, and changes nothing', async () => {
    const current = await getServices()
    const { runId } = await runPipeline(pipeline('approved-penguins', { deployment: 'approved-api', strategy: 'shadow', approval: true }, 9))
    await waitForApproval(runId)
    const [approval] = await current.db.select().from(approvals).where(eq(approvals.runId, runId))
    // the approver reads the change against what answers today
    expect(await deploymentsNow(current.db, approval!.outputs)).toEqual([{ name: 'approved-api', serving: { model: 'approved-penguins', versions: [{ version: 1, role: 'stable', weight: 100 }] } }])
    expect(approval!.summary).toBe('Deploy model "approved-penguins" version 2 to "approved-api" as a shadow (sees every request, answers none); if "approved-api" does not exist yet, it is created serving this version alone.')
    expect((await reject(runId, tokens.engineer, { reason: 'x'.repeat(2001) })).status).toBe(400)
    expect((await reject(runId, tokens.engineer, { why: 'typo' })).status).toBe(400)

    const rejected = await reject(runId, tokens.engineer, { reason: 'the data of this week is broken' })
    expect(rejected.status, JSON.stringify(rejected.body)).toBe(200)
    const run = await waitForRun(current, runId)
    expect(run.status).toBe('failed')
    expect(run.steps.find((s) => s.nodeId === 'deploy')!.error).toBe('Rejected by engineer@example.com: the data of this week is broken.')
    expect(await findDeployment(current.db, 'approved-api')).toMatchObject({ stableVersion: 1, challengerVersion: null })
    const [audited] = await current.db.select().from(auditLog).where(eq(auditLog.target, `run ${runId} step deploy`))
    expect(audited).toMatchObject({ action: 'deployment.reject', actor: 'engineer@example.com' })
    expect((await approve(runId, tokens.operator)).status).toBe(410)
  }, 240_000)
})
