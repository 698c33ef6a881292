// The reconciler's part in approvals: a step nobody approved or rejected in time fails, naming what
// was not decided and for how long, so no run waits forever. Audited like a decision, as nobody's.
import { and, eq, isNull, lt } from 'drizzle-orm'
import type { Db } from '@/db'
import { approvals, steps } from '@/db/schema'
import { deployRequestSchema, describeRollout, formatHours } from '@/nodes/deploy/request'
import type { AuditWho } from '@/server/audit/record'
import { recordAudit } from '@/server/audit/record'
import { failWaitingStep } from '@/server/runner/state-machine'
import type { ApprovalRow } from './decide'

/** Who the audit log says expired an approval: no person did, the deadline did. */
export const expiryWho: AuditWho = { id: null, label: 'approval timeout', client: 'reconciler' }

/** Fails every waiting step whose approval passed its deadline undecided; gives their runs, for the reconciler to advance. */
export async function expireApprovals(db: Db, now = new Date()): Promise<string[]> {
  const due = await db
    .select({ approval: approvals, nodeId: steps.nodeId })
    .from(approvals)
    .innerJoin(steps, eq(steps.id, approvals.stepId))
    .where(and(isNull(approvals.decision), lt(approvals.expiresAt, now), eq(steps.status, 'waiting')))
  const runs: string[] = []
  for (const { approval, nodeId } of due) {
    if (await expireApproval(db, approval, nodeId, now)) runs.push(approval.runId)
  }
  return runs
}

/**
 * Marks one approval expired unless someone decided first (every process's reconciler may try the
 * same one), fails its step and audits it. True when the step failed: its run is to be advanced.
 */
export async function expireApproval(db: Db, approval: ApprovalRow, nodeId: string, now = new Date()): Promise<boolean> {
  const claimed = await db
    .update(approvals)
    .set({ decision: 'expired', decidedAt: now })
    .where(and(eq(approvals.id, approval.id), isNull(approvals.decision)))
    .returning({ id: approvals.id })
  if (claimed.length === 0) return false
  const message = expiredMessage(approval)
  const failed = await failWaitingStep(db, approval.stepId, approval.runId, message)
  await recordAudit(db, {
    who: expiryWho,
    action: 'deployment.approval-expire',
    target: `run ${approval.runId} step ${nodeId}`,
    details: { step: failed ? 'failed' : 'no longer waiting', error: message, askedAt: approval.createdAt.toISOString(), expiresAt: approval.expiresAt.toISOString() },
  })
  return failed
}

/** How long the approval was open for, as asked: `72 h`. */
export function waitedFor(approval: Pick<ApprovalRow, 'createdAt' | 'expiresAt'>): string {
  return formatHours((approval.expiresAt.getTime() - approval.createdAt.getTime()) / 3_600_000)
}

/** The failed step's error: what nobody decided on, for how long, and what to do now. */
export function expiredMessage(approval: Pick<ApprovalRow, 'createdAt' | 'expiresAt' | 'outputs'>): string {
  return `Nobody approved or rejected ${whatWasAsked(approval.outputs)} within ${waitedFor(approval)} (the approval expired at ${approval.expiresAt.toISOString()}); run the pipeline again to ask again, with a longer approvalTimeoutHours if needed.`
}

/** The rollouts the kept deployment outputs ask for, else the step's change in general. */
function whatWasAsked(outputs: ApprovalRow['outputs']): string {
  const rollouts = Object.values(outputs).flatMap((output) => {
    const parsed = output.type === 'deployment' ? deployRequestSchema.safeParse(output.value) : null
    return parsed?.success ? [describeRollout(parsed.data)] : []
  })
  return rollouts.length > 0 ? rollouts.join(' and ') : "this step's change"
}
