// The deploy node in a real pipeline, on each installation (deploy-pipeline.test.ts: PGlite with
// one in-process worker; deploy-pipeline.postgres.test.ts: PostgreSQL, BullMQ and a one-slot
// worker process): the first run creates the deployment and it answers predictions; the next run
// rolls version 2 out as a canary; with approval the step waits (holding no worker, surviving a
// restart) until an operator approves, a rejection fails the step with who rejected it and why,
// and an approval nobody gives fails the step at its deadline, restart or not.
// The caller sets the environment before importing this file: the routes read it.
import { eq } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { approvals, auditLog, deploymentEvents } from '@/db/schema'
import { createApiToken, createUser } from '@/server/auth/accounts'
import { deploymentsNow } from '@/server/approvals/deployments-now'
import { findDeployment } from '@/server/deployments/deployments'
import { getRunDetail, startRun } from '@/server/runner/runs'
import type { Services } from '@/server/services'
import { call } from '../harness/routes'
import { savePipeline, waitFor, waitForRun } from '../harness/run-pipeline'

const setupRoute = await import('@/app/api/v1/setup/route')
const predictRoute = await import('@/app/api/v1/deployments/[name]/predict/route')
const approveRoute = await import('@/app/api/v1/runs/[runId]/steps/[nodeId]/approve/route')
const rejectRoute = await import('@/app/api/v1/runs/[runId]/steps/[nodeId]/reject/route')
const runRoute = await import('@/app/api/v1/runs/[runId]/route')

/** One installation, as the routes see it: the app's services, and one slot running steps somewhere. */
export interface DeployBackend {
  /** the web side's services (the routes' own); steps run in this process or in a worker process */
  services(): Promise<Services>
  /** as a restart does: everything closed, nothing kept in memory; `down` runs while it is all off */
  restart(down?: () => Promise<void>): Promise<void>
  close(): Promise<void>
}

interface DeployNodeConfig {
  deployment: string
  strategy?: string
  weight?: number
  approval?: boolean
  approvalTimeoutHours?: number
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

let backend: DeployBackend
const getServices = () => backend.services()
const tokens = { owner: '', operator: '', engineer: '', pm: '' }
const penguin = { bill_length_mm: 39.1, flipper_length_mm: 181, island: 'Torgersen' }

const predict = (name: string) => call(predictRoute.POST, 'POST', `/api/v1/deployments/${name}/predict`, { name }, { token: tokens.owner, json: { records: [penguin] } })
const approve = (runId: string, token: string, nodeId = 'deploy', json?: unknown) =>
  call(approveRoute.POST, 'POST', `/api/v1/runs/${runId}/steps/${nodeId}/approve`, { runId, nodeId }, { token, ...(json !== undefined ? { json } : {}) })
const getRun = (runId: string) => call(runRoute.GET, 'GET', `/api/v1/runs/${runId}`, { runId }, { token: tokens.owner })
const waitingForApproval = [['load', null], ['split', null], ['train', null], ['deploy', 'approval']]
const sleepUntil = (at: number) => new Promise<void>((resolve) => setTimeout(resolve, Math.max(0, at - Date.now())))
const reject = (runId: string, token: string, json?: unknown) => call(rejectRoute.POST, 'POST', `/api/v1/runs/${runId}/steps/deploy/reject`, { runId, nodeId: 'deploy' }, { token, ...(json !== undefined ? { json } : {}) })

/** Every test below on the installation `open` starts (and `close` ends). */
export function deployPipelineSuite(open: () => Promise<DeployBackend>) {
  beforeAll(async () => {
    backend = await open()
    const current = await getServices()
    tokens.owner = (await call(setupRoute.POST, 'POST', '/api/v1/setup', {}, { json: { email: 'owner@example.com', password: 'correct horse battery', name: 'Owner' } })).body.token
    for (const role of ['operator', 'engineer', 'pm'] as const) {
      const user = await createUser(current.db, { email: `${role}@example.com`, name: role, role, password: 'a fine password' })
      tokens[role] = (await createApiToken(current.db, user.id, 'test')).token
    }
  }, 60_000)
  afterAll(async () => {
    await backend?.close()
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
      expect(parked.steps.map((s) => [s.nodeId, s.waitingFor])).toEqual(waitingForApproval)
      // and the REST answer, for a CI job polling the run
      const polled = await getRun(runId)
      expect([polled.status, polled.body.status]).toEqual([200, 'waiting'])
      expect(polled.body.steps.map((s: { nodeId: string; waitingFor: string | null }) => [s.nodeId, s.waitingFor])).toEqual(waitingForApproval)
      await expect(findDeployment(current.db, 'approved-api')).rejects.toThrow(/No deployment named "approved-api"/)
      const [asked] = await current.db.select().from(approvals).where(eq(approvals.runId, runId))
      expect(await deploymentsNow(current.db, asked!.outputs)).toEqual([{ name: 'approved-api', serving: null }])
      // a file without approvalTimeoutHours waits the default three days
      expect(asked!.expiresAt.getTime() - asked!.createdAt.getTime()).toBe(72 * 3_600_000)

      // the only worker slot is free: another pipeline runs to the end meanwhile
      const other = await startRun(current, await savePipeline(current, { apiVersion: 'pipewright/v1', name: 'meanwhile', nodes: [{ id: 'load', kind: 'ingest', config: { source: { type: 'sample', name: 'penguins' } } }], edges: [] } as { name: string }))
      expect((await waitForRun(current, other.runId)).status).toBe('succeeded')

      // as a restart does: the database closed and opened again, a new worker, nothing kept in memory
      await backend.restart()
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
      expect((await getRun(runId)).body.steps.find((s: { nodeId: string }) => s.nodeId === 'deploy')).toMatchObject({ status: 'succeeded', waitingFor: null })

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

  describe('a deploy step nobody decides on', () => {
    it('fails at its deadline, which a restart does not lose; audited; a late approve or reject is a 410', async () => {
      const current = await getServices()
      // 0.002 h: 7.2 s, a deadline a test can wait for
      const { runId } = await runPipeline(pipeline('expiring-penguins', { deployment: 'expiring-api', approval: true, approvalTimeoutHours: 0.002 }))
      await waitForApproval(runId)
      const [asked] = await current.db.select().from(approvals).where(eq(approvals.runId, runId))
      expect(asked!.expiresAt.getTime() - asked!.createdAt.getTime()).toBe(7200)

      // everything off over the deadline (still ahead as it goes down): only the database remembers it
      expect(Date.now()).toBeLessThan(asked!.expiresAt.getTime())
      await backend.restart(() => sleepUntil(asked!.expiresAt.getTime() + 500))
      const after = await getServices()
      const run = await waitForRun(after, runId, 30_000)
      expect(run.status, steps(run)).toBe('failed')
      expect(run.steps.find((s) => s.nodeId === 'deploy')!.error).toBe(
        `Nobody approved or rejected the rollout of model "expiring-penguins" version 1 to "expiring-api" within 7.2 s (the approval expired at ${asked!.expiresAt.toISOString()}); run the pipeline again to ask again, with a longer approvalTimeoutHours if needed.`,
      )
      const [expired] = await after.db.select().from(approvals).where(eq(approvals.id, asked!.id))
      expect(expired).toMatchObject({ decision: 'expired', decidedBy: null, decidedByLabel: null })
      expect(expired!.decidedAt!.getTime()).toBeGreaterThanOrEqual(asked!.expiresAt.getTime())
      const audited = await after.db.select().from(auditLog).where(eq(auditLog.target, `run ${runId} step deploy`))
      expect(audited).toHaveLength(1)
      expect(audited[0]).toMatchObject({ action: 'deployment.approval-expire', actor: 'approval timeout', actorId: null, client: 'reconciler', outcome: 'ok' })
      expect(audited[0]!.details).toMatchObject({ step: 'failed', expiresAt: asked!.expiresAt.toISOString() })

      const late = await approve(runId, tokens.operator)
      expect(late.status).toBe(410)
      expect(late.body.error).toBe(
        `Step "deploy" no longer takes a decision: nobody approved or rejected it within 7.2 s, so it failed when its approval expired at ${asked!.expiresAt.toISOString()}. Run the pipeline again to ask again.`,
      )
      expect((await reject(runId, tokens.operator, { reason: 'too late' })).status).toBe(410)
      expect((await getRun(runId)).body).toMatchObject({ status: 'failed', steps: expect.arrayContaining([expect.objectContaining({ nodeId: 'deploy', status: 'failed', waitingFor: null })]) })
      await expect(findDeployment(after.db, 'expiring-api')).rejects.toThrow(/No deployment named "expiring-api"/)
    }, 240_000)

    it('refuses an approve that comes after the deadline but before the sweep: the step fails once, audited once', async () => {
      const current = await getServices()
      const { runId } = await runPipeline(pipeline('expiring-penguins', { deployment: 'expiring-api', approval: true }, 9))
      await waitForApproval(runId)
      // as if 72 h had passed a moment ago: the sweep (every second here) and the approve race for it
      const now = Date.now()
      await current.db
        .update(approvals)
        .set({ createdAt: new Date(now - 72 * 3_600_000 - 1000), expiresAt: new Date(now - 1000) })
        .where(eq(approvals.runId, runId))
      const late = await approve(runId, tokens.operator, 'deploy', { comment: 'sorry, was away' })
      expect(late.status, JSON.stringify(late.body)).toBe(410)
      expect(late.body.error).toMatch(/^Step "deploy" no longer takes a decision: nobody approved or rejected it within 72 h, so it failed when its approval expired at /)
      const run = await waitForRun(current, runId, 30_000)
      expect(run.status).toBe('failed')
      expect(run.steps.find((s) => s.nodeId === 'deploy')!.error).toMatch(/^Nobody approved or rejected the rollout of model "expiring-penguins" version 2 to "expiring-api" within 72 h \(the approval expired at /)
      const audited = await current.db.select().from(auditLog).where(eq(auditLog.target, `run ${runId} step deploy`))
      expect(audited.map((entry) => entry.action)).toEqual(['deployment.approval-expire'])
      await expect(findDeployment(current.db, 'expiring-api')).rejects.toThrow(/No deployment named "expiring-api"/)
    }, 240_000)
  })
}
