// A person approves or rejects a step waiting for approval. Approving publishes the outputs the
// step kept (a deploy step's change is made then, recorded as the approver's) and the run goes on;
// rejecting fails the step with who rejected it and why. The first decision wins; a second is a 409.
// Past its deadline an approval takes no decision: it expires (server/approvals/expire.ts), a 410.
import { and, desc, eq, gt, isNull } from 'drizzle-orm'
import { z } from 'zod'
import { approvals, steps, type ApprovalDecision } from '@/db/schema'
import { StepError } from '@/nodes/contract'
import type { PendingOutputs } from '@/nodes/_lib/pending-outputs'
import { findNodeDefinition } from '@/nodes/registry'
import { actions, authorize, type Action, type Actor } from '@/server/auth/permissions'
import { ConflictError, NotFoundError } from '@/server/errors'
import { publishOutputs } from '@/server/runner/publish-outputs'
import { advanceRun } from '@/server/runner/scheduler'
import { completeWaitingStep, failWaitingStep } from '@/server/runner/state-machine'
import type { Services } from '@/server/services'
import { GoneError } from '@/server/use-cases/invites'
import { text } from '@/server/validation/text'
import { expireApproval, waitedFor } from './expire'

export type ApprovalRow = typeof approvals.$inferSelect
type DecideServices = Pick<Services, 'db' | 'store' | 'queue'>

/** `POST …/reject`: an optional reason, shown on the failed step. */
export const rejectBody = z.strictObject({ reason: text({ max: 2000 }).optional() })
export const approveBody = z.strictObject({ comment: text({ max: 2000 }).optional() })

export interface Decision {
  decision: ApprovalDecision
  /** the step's state after the decision: `succeeded`, or `failed` (rejected, or the approved change was refused) */
  step: 'succeeded' | 'failed'
  error?: string
  outputs?: Record<string, string>
}

/** The open approval of a run's step: 404 no such step, 409 a step that asks none, 410 one no longer waiting. */
export async function waitingApprovalOf(db: Services['db'], runId: string, nodeId: string): Promise<{ approval: ApprovalRow; kind: string; nodeId: string }> {
  const [row] = await db
    .select({ approval: approvals, status: steps.status, kind: steps.kind, nodeId: steps.nodeId })
    .from(steps)
    .leftJoin(approvals, eq(approvals.stepId, steps.id))
    .where(and(eq(steps.runId, runId), eq(steps.nodeId, nodeId)))
    .orderBy(desc(approvals.createdAt))
    .limit(1)
  if (!row) throw new NotFoundError(`Run ${runId} has no step "${nodeId.slice(0, 100)}".`)
  if (!row.approval) throw new ConflictError(`Step "${nodeId}" does not wait for approval.`)
  if (row.approval.decision === 'expired') throw expiredError(row.approval, nodeId)
  if (row.approval.decision) throw new GoneError(`Step "${nodeId}" was already ${row.approval.decision} by ${row.approval.decidedByLabel ?? 'someone'}.`)
  if (row.status !== 'waiting') throw new GoneError(`Step "${nodeId}" no longer waits for approval (it is ${row.status}).`)
  return { approval: row.approval, kind: row.kind, nodeId: row.nodeId }
}

function expiredError(approval: ApprovalRow, nodeId: string): GoneError {
  return new GoneError(
    `Step "${nodeId}" no longer takes a decision: nobody approved or rejected it within ${waitedFor(approval)}, so it failed when its approval expired at ${approval.expiresAt.toISOString()}. Run the pipeline again to ask again.`,
  )
}

/**
 * The open approval, unless its deadline has passed: then it expires now (the reconciler's sweep
 * may not have come by yet) and the decision is refused with a 410, as it would be a moment later.
 */
async function openApprovalOf(services: DecideServices, runId: string, nodeId: string, now = new Date()) {
  const open = await waitingApprovalOf(services.db, runId, nodeId)
  if (open.approval.expiresAt > now) return open
  if (await expireApproval(services.db, open.approval, open.nodeId, now)) await advanceRun(services, runId)
  throw expiredError(open.approval, open.nodeId)
}

/** The permission the approval asks for; an unknown one (a newer version's) is never granted by accident. */
function permissionOf(approval: ApprovalRow): Action {
  const found = actions.find((action) => action === approval.permission)
  if (!found) throw new ConflictError(`This approval needs "${approval.permission}", which this installation does not know.`)
  return found
}

/** Marks the decision, unless someone decided first or the deadline passed meanwhile. */
async function claim(db: Services['db'], { approval, nodeId }: { approval: ApprovalRow; nodeId: string }, actor: Actor, decision: Exclude<ApprovalDecision, 'expired'>, reason: string | null): Promise<void> {
  const now = new Date()
  const claimed = await db
    .update(approvals)
    .set({ decision, decidedBy: actor.id, decidedByLabel: actor.email, reason, decidedAt: now })
    .where(and(eq(approvals.id, approval.id), isNull(approvals.decision), gt(approvals.expiresAt, now)))
    .returning({ id: approvals.id })
  if (claimed.length > 0) return
  const [current] = await db.select({ decision: approvals.decision }).from(approvals).where(eq(approvals.id, approval.id))
  if (current?.decision === 'expired' || (!current?.decision && approval.expiresAt <= now)) throw expiredError(approval, nodeId)
  throw new ConflictError('Someone else decided this approval first.')
}


function pendingOf(approval: ApprovalRow): PendingOutputs {
  return { byPort: new Map(Object.entries(approval.outputs).map(([port, output]) => [port, { ...output }])), blobs: new Map(), aliasMoves: [] }
}

export async function approveStep(services: DecideServices, runId: string, nodeId: string, actor: Actor, comment?: string): Promise<Decision> {
  const open = await openApprovalOf(services, runId, nodeId)
  const { approval, kind } = open
  authorize(actor, permissionOf(approval))
  const definition = findNodeDefinition(kind)
  if (!definition) throw new ConflictError(`No node kind "${kind}" any more: the step cannot be approved.`)
  await claim(services.db, open, actor, 'approved', comment ?? null)
  let outputs: Record<string, string>
  try {
    const step = { kind, nodeId, runId, inputArtifactIds: approval.inputArtifactIds, changedBy: { actorId: actor.id, label: actor.email } }
    outputs = await publishOutputs(services, step, definition.ports.out, pendingOf(approval))
  } catch (error) {
    if (!(error instanceof StepError)) {
      // nothing was decided after all (the database away): the approver may try again
      await services.db.update(approvals).set({ decision: null, decidedBy: null, decidedByLabel: null, reason: null, decidedAt: null }).where(eq(approvals.id, approval.id))
      throw error
    }
    const message = `Approved by ${actor.email}, but the change was refused: ${error.message}`
    if (await failWaitingStep(services.db, approval.stepId, runId, message)) await advanceRun(services, runId)
    return { decision: 'approved', step: 'failed', error: message }
  }
  if (!(await completeWaitingStep(services.db, approval.stepId, runId, outputs))) throw new ConflictError('The step stopped waiting (the run was canceled) before the approval was taken.')
  await advanceRun(services, runId)
  return { decision: 'approved', step: 'succeeded', outputs }
}

export async function rejectStep(services: DecideServices, runId: string, nodeId: string, actor: Actor, reason?: string): Promise<Decision> {
  const open = await openApprovalOf(services, runId, nodeId)
  const { approval } = open
  authorize(actor, permissionOf(approval))
  const why = reason?.trim() ? reason.trim() : null
  await claim(services.db, open, actor, 'rejected', why)
  const message = `Rejected by ${actor.email}${why ? `: ${why}` : ' (no reason given)'}.`
  if (await failWaitingStep(services.db, approval.stepId, runId, message)) await advanceRun(services, runId)
  return { decision: 'rejected', step: 'failed', error: message }
}

/** What the step page shows on a waiting step that asks for approval. */
export async function approvalSummary(
  db: Services['db'],
  stepId: string,
): Promise<{ summary: string; permission: string; createdAt: Date; expiresAt: Date; outputs: ApprovalRow['outputs'] } | null> {
  const [row] = await db
    .select({ summary: approvals.summary, permission: approvals.permission, createdAt: approvals.createdAt, expiresAt: approvals.expiresAt, outputs: approvals.outputs })
    .from(approvals)
    .where(and(eq(approvals.stepId, stepId), isNull(approvals.decision)))
    .orderBy(desc(approvals.createdAt))
    .limit(1)
  return row ?? null
}
