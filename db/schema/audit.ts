import { bigserial, index, integer, jsonb, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core'

export const auditOutcomes = ['ok', 'refused'] as const
export type AuditOutcome = (typeof auditOutcomes)[number]

/**
 * Append-only: a trigger (migration 0004) refuses every update and delete, so no API and no
 * careless script can rewrite history. No foreign key to users: an entry outlives its actor.
 */
export const auditLog = pgTable(
  'audit_log',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
    /** the user's id, or null for someone without an account (a rating link, a failed sign-in) */
    actorId: uuid('actor_id'),
    /** the user's e-mail as it was then, or a description such as `rating link` */
    actor: text('actor').notNull(),
    /** `browser session`, `token <name>`, `rating link` … */
    client: text('client').notNull(),
    /** dotted verb: `pipeline.create`, `run.cancel`, `user.role-change` … */
    action: text('action').notNull(),
    /** what was acted on, e.g. `pipeline 0b5e…` */
    target: text('target').notNull().default(''),
    outcome: text('outcome', { enum: auditOutcomes }).notNull().default('ok'),
    details: jsonb('details').$type<Record<string, unknown>>().notNull().default({}),
  },
  (t) => [index('audit_log_at_idx').on(t.at), index('audit_log_actor_idx').on(t.actorId, t.at), index('audit_log_action_idx').on(t.action, t.at)],
)

/**
 * Failed attempts per key (an account, a client address, a rating-link token), for sign-in and
 * rating-link throttling that holds across processes.
 */
export const authThrottle = pgTable('auth_throttle', {
  /** `account:<sha256 of e-mail>`, `client:<address>`, `rate-link:<address>` */
  key: text('key').primaryKey(),
  failures: integer('failures').notNull().default(0),
  firstFailureAt: timestamp('first_failure_at', { withTimezone: true }).notNull().defaultNow(),
  lockedUntil: timestamp('locked_until', { withTimezone: true }),
})
