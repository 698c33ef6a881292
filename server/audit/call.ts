import type { Db } from '@/db'
import type { Actor, AuthError } from '@/server/auth/permissions'
import type { AuditAction } from './actions'
import { recordAudit, type AuditNote, type AuditWho } from './record'

/**
 * One audited call, as the REST and tRPC wrappers see it: started once the caller is known,
 * then finished as `ok` (the handler succeeded) or `refused` (a 403). Other failures (bad
 * input, not found, conflicts) changed nothing and are not recorded.
 */
export class AuditCall {
  constructor(
    private readonly db: Db,
    private readonly action: AuditAction,
    private readonly actor: Actor | null,
    /** looked up when the call starts: a token revoked by this very call loses its name */
    private readonly client: Promise<string>,
  ) {}

  async succeeded(note: AuditNote): Promise<void> {
    const who = note.who ?? (await this.who())
    if (!who) return
    await recordAudit(this.db, { who, action: this.action, target: note.target, outcome: note.outcome, details: note.details })
  }

  /** `where` says what was attempted (a path, a procedure), since the handler never ran to say it. */
  async refused(error: AuthError, where: Record<string, unknown>): Promise<void> {
    const who = await this.who()
    if (!who) return
    await recordAudit(this.db, { who, action: this.action, outcome: 'refused', details: { ...where, reason: error.message } })
  }

  private async who(): Promise<AuditWho | null> {
    if (!this.actor) return null
    return { id: this.actor.id, label: this.actor.email, client: await this.client.catch(() => 'unknown client') }
  }
}
