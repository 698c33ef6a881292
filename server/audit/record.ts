import type { Db } from '@/db'
import { auditLog, type AuditOutcome } from '@/db/schema'
import { logger } from '@/server/logger'
import type { AuditAction } from './actions'

/** Who acted, as the log keeps it: the e-mail as it was then survives the account's removal. */
export interface AuditWho {
  /** the user's id; null for someone without an account (a rating link, a failed sign-in) */
  id: string | null
  /** the user's e-mail, or a description such as `rating link` */
  label: string
  /** `browser session`, `token "ci"`, `rating link <invite id>` */
  client: string
}

export interface AuditEntryInput {
  who: AuditWho
  action: AuditAction
  target?: string
  outcome?: AuditOutcome
  details?: Record<string, unknown>
}

/** Long free text (a reason, a comment) is cut so one entry cannot bloat the log. */
const maxTextChars = 500

/**
 * Appends one entry. A failed write does not undo the change it describes (that is done and
 * answered already), so it is logged at error level with the whole entry: never lost silently.
 */
export async function recordAudit(db: Db, entry: AuditEntryInput): Promise<void> {
  const row = {
    actorId: entry.who.id,
    actor: clip(entry.who.label),
    client: clip(entry.who.client),
    action: entry.action,
    target: clip(entry.target ?? ''),
    outcome: entry.outcome ?? 'ok',
    details: cleanDetails(entry.details ?? {}),
  }
  try {
    await db.insert(auditLog).values(row)
  } catch (error) {
    logger.error({ err: error, audit: row }, 'audit entry could not be stored')
  }
}

/** jsonb refuses \u0000 too; strings are cleaned and clipped the same way, wherever they sit. */
function cleanDetails(details: Record<string, unknown>): Record<string, unknown> {
  return JSON.parse(JSON.stringify(details, (_key, value: unknown) => (typeof value === 'string' ? clip(value) : value))) as Record<string, unknown>
}

function clip(text: string): string {
  // NUL is refused by PostgreSQL text columns; an audit write must not fail on hostile input
  const clean = text.replaceAll('\u0000', '\uFFFD')
  return clean.length > maxTextChars ? `${clean.slice(0, maxTextChars)}…` : clean
}

/**
 * What a handler adds to the entry its wrapper records: the target and details it alone knows.
 * Public routes (setup, sign-in, a rating link) also say who acted, since no token or session does.
 */
export class AuditNote {
  target = ''
  details: Record<string, unknown> = {}
  who: AuditWho | null = null
  outcome: AuditOutcome = 'ok'

  /** `note.on('pipeline 0b5e…', { version: 3 })` */
  on(target: string, details: Record<string, unknown> = {}): this {
    this.target = target
    this.details = { ...this.details, ...details }
    return this
  }
}
