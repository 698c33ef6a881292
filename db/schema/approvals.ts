import { sql } from 'drizzle-orm'
import { index, jsonb, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core'
import type { StepOutputValues } from '../../nodes/contract'
import { runs, steps } from './runs'
import { users } from './users'

/** `expired`: nobody decided before `expiresAt`; the reconciler failed the step */
export const approvalDecisions = ['approved', 'rejected', 'expired'] as const
export type ApprovalDecision = (typeof approvalDecisions)[number]

/**
 * A step parked until a person approves or rejects what it is about to do (a deploy step's
 * rollout): one per step attempt. What the step would publish is kept here (JSON only), so the
 * approval publishes it without the executor, and a restart while waiting loses nothing.
 */
export const approvals = pgTable('approvals', {
  id: uuid('id').primaryKey().defaultRandom(),
  stepId: uuid('step_id')
    .notNull()
    .references(() => steps.id, { onDelete: 'cascade' }),
  runId: uuid('run_id')
    .notNull()
    .references(() => runs.id, { onDelete: 'cascade' }),
  /** the permission an approver needs, e.g. `deployment:manage` */
  permission: text('permission').notNull(),
  /** what the approver is asked, in words */
  summary: text('summary').notNull(),
  /** the JSON outputs (by port) the step publishes once approved */
  outputs: jsonb('outputs').$type<StepOutputValues>().notNull(),
  /** the step's input artifact ids, for the published outputs' lineage */
  inputArtifactIds: jsonb('input_artifact_ids').$type<string[]>().notNull(),
  decision: text('decision', { enum: approvalDecisions }),
  decidedBy: uuid('decided_by').references(() => users.id, { onDelete: 'set null' }),
  /** who decided, in words, kept when the user is gone */
  decidedByLabel: text('decided_by_label'),
  reason: text('reason'),
  decidedAt: timestamp('decided_at', { withTimezone: true }),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  /** when the step stops waiting and fails, undecided: kept here, so the deadline survives a restart */
  expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
}, (table) => [
  // the reconciler's sweep: undecided approvals by deadline
  index('approvals_undecided_expiry_idx').on(table.expiresAt).where(sql`decision is null`),
])
