import { jsonb, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core'
import type { HandoffModelSpec } from '../../nodes/contract'
import { runs, steps } from './runs'

export const handoffModes = ['webhook', 'command', 'manual'] as const
export type HandoffMode = (typeof handoffModes)[number]

/**
 * A step parked until its model comes back from training outside Pipewright: one per step
 * attempt. The token is one-time and kept only as its hash; the step's state lives here and in
 * `steps`, so a restart while waiting loses nothing.
 */
export const handoffs = pgTable('handoffs', {
  id: uuid('id').primaryKey().defaultRandom(),
  stepId: uuid('step_id')
    .notNull()
    .references(() => steps.id, { onDelete: 'cascade' }),
  runId: uuid('run_id')
    .notNull()
    .references(() => runs.id, { onDelete: 'cascade' }),
  mode: text('mode', { enum: handoffModes }).notNull(),
  tokenHash: text('token_hash').notNull(),
  /** what the trainer reads: schema, label, task, labels, hyperparameters, file names */
  manifest: jsonb('manifest').$type<Record<string, unknown>>().notNull(),
  /** the input artifacts the bundle serves, by file name (`train.parquet`) */
  files: jsonb('files').$type<Record<string, string>>().notNull(),
  /** how the arriving model is checked, described and registered */
  model: jsonb('model').$type<HandoffModelSpec>().notNull(),
  port: text('port').notNull(),
  expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
  usedAt: timestamp('used_at', { withTimezone: true }),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
})
