import { and, desc, eq, gte, ilike, like, lt, lte, sql, type SQL } from 'drizzle-orm'
import type { Db } from '@/db'
import { auditLog, type AuditOutcome } from '@/db/schema'
import { auditNouns } from './actions'
import { defaultPageSize, encodeCursor, type AuditQuery } from './query'

export interface AuditEntry {
  id: number
  at: Date
  actor: string
  actorId: string | null
  client: string
  action: string
  target: string
  outcome: AuditOutcome
  details: Record<string, unknown>
}

export interface AuditPage {
  entries: AuditEntry[]
  /** pass back as `?cursor=` for the next (older) page; null on the last page */
  next: string | null
}

/** `at` to the microsecond, in UTC: a JavaScript Date keeps milliseconds and would skip or repeat entries. */
const atText = sql<string>`to_char(${auditLog.at} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`

/** Newest first, keyset-paged by (at, id), so a page is as fast at the millionth entry as at the first. */
export async function listAudit(db: Db, query: AuditQuery): Promise<AuditPage> {
  const limit = query.limit ?? defaultPageSize
  const rows = await db
    .select({
      id: auditLog.id,
      at: auditLog.at,
      atText,
      actor: auditLog.actor,
      actorId: auditLog.actorId,
      client: auditLog.client,
      action: auditLog.action,
      target: auditLog.target,
      outcome: auditLog.outcome,
      details: auditLog.details,
    })
    .from(auditLog)
    .where(and(...conditions(query)))
    .orderBy(desc(auditLog.at), desc(auditLog.id))
    .limit(limit + 1)
  const page = rows.slice(0, limit)
  const last = page.at(-1)
  return {
    entries: page.map(({ atText: _, ...entry }) => entry),
    next: rows.length > limit && last ? encodeCursor({ at: last.atText, id: last.id }) : null,
  }
}

function conditions(query: AuditQuery): SQL[] {
  const where: SQL[] = []
  if (query.actor) where.push(ilike(auditLog.actor, `%${escapeLike(query.actor)}%`))
  if (query.action) {
    where.push((auditNouns as readonly string[]).includes(query.action) ? like(auditLog.action, `${query.action}.%`) : eq(auditLog.action, query.action))
  }
  if (query.outcome) where.push(eq(auditLog.outcome, query.outcome))
  if (query.from) where.push(gte(auditLog.at, query.from.at))
  if (query.to) where.push(query.to.wholeDay ? lt(auditLog.at, new Date(query.to.at.getTime() + 86_400_000)) : lte(auditLog.at, query.to.at))
  if (query.cursor) where.push(sql`(${auditLog.at}, ${auditLog.id}) < (${query.cursor.at}::timestamptz, ${query.cursor.id})`)
  return where
}

/** `%` and `_` in what someone typed are letters, not wildcards. */
function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`)
}
