// Alias moves a step asked for (an evaluate that promotes its model), applied once the step's
// outputs are published and audited as the run's creator's, from the run.
import { eq } from 'drizzle-orm'
import type { Db } from '@/db'
import { runs, users } from '@/db/schema'
import type { AliasMove } from '@/nodes/contract'
import { recordAudit } from '@/server/audit/record'
import { logger } from '@/server/logger'
import { moveAlias } from './registry'

export async function applyRunAliasMoves(db: Db, runId: string, moves: readonly AliasMove[]): Promise<void> {
  if (moves.length === 0) return
  const [run] = await db.select({ createdBy: runs.createdBy, email: users.email }).from(runs).leftJoin(users, eq(users.id, runs.createdBy)).where(eq(runs.id, runId))
  for (const move of moves) {
    const moved = await moveAlias(db, { ...move, actorId: run?.createdBy ?? null })
    await recordAudit(db, {
      who: { id: run?.createdBy ?? null, label: run?.email ?? 'pipeline run', client: `run ${runId}` },
      action: 'model.alias-move',
      target: `model ${move.name} alias ${move.alias}`,
      details: { model: move.name, alias: move.alias, from: moved.from, to: moved.to, runId },
    })
    logger.info({ model: move.name, alias: move.alias, ...moved, runId }, 'alias moved by a run')
  }
}
