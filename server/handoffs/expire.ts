// The reconciler's part in handoffs: a step whose model did not arrive in time fails, saying
// when it stopped waiting, so no run waits forever.
import { and, eq, isNull, lt } from 'drizzle-orm'
import type { Db } from '@/db'
import { handoffs, steps } from '@/db/schema'
import { failWaitingStep } from '@/server/runner/state-machine'

/** Fails every waiting step whose handoff has expired; gives their runs, for the reconciler to advance. */
export async function expireHandoffs(db: Db, now = new Date()): Promise<string[]> {
  const expired = await db
    .select({ stepId: handoffs.stepId, runId: handoffs.runId, mode: handoffs.mode, createdAt: handoffs.createdAt, expiresAt: handoffs.expiresAt })
    .from(handoffs)
    .innerJoin(steps, eq(steps.id, handoffs.stepId))
    .where(and(eq(steps.status, 'waiting'), isNull(handoffs.usedAt), lt(handoffs.expiresAt, now)))
  const runs: string[] = []
  for (const h of expired) {
    const minutes = Math.round((h.expiresAt.getTime() - h.createdAt.getTime()) / 60_000)
    const who = h.mode === 'manual' ? 'nobody uploaded one' : 'the trainer sent none'
    if (await failWaitingStep(db, h.stepId, h.runId, `No model arrived within ${minutes} minute${minutes === 1 ? '' : 's'} (${who} by ${h.expiresAt.toISOString()}); raise timeoutMinutes or run the pipeline again.`)) runs.push(h.runId)
  }
  return runs
}
