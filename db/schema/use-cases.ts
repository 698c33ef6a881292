import { type AnyPgColumn, bigserial, index, integer, jsonb, pgTable, primaryKey, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core'
import { pipelines } from './pipelines'
import { users } from './users'

/**
 * A candidate ML use case on the product managers' board. The fields the PM edits live in one
 * JSON document validated by `useCaseFields` (server/use-cases/model.ts), so the schema is
 * written once; title and status are columns too, for ordering and filtering.
 */
export const useCases = pgTable('use_cases', {
  id: uuid('id').primaryKey().defaultRandom(),
  title: text('title').notNull(),
  status: text('status').notNull(),
  fields: jsonb('fields').notNull(),
  severityOverride: integer('severity_override'),
  severityOverrideReason: text('severity_override_reason'),
  createdBy: uuid('created_by').references(() => users.id, { onDelete: 'set null' }),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
})

/** One rating of severity per person and use case: rating again replaces the earlier one. */
export const useCaseRatings = pgTable(
  'use_case_ratings',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    useCaseId: uuid('use_case_id')
      .notNull()
      .references(() => useCases.id, { onDelete: 'cascade' }),
    raterId: uuid('rater_id').references(() => users.id, { onDelete: 'set null' }),
    raterName: text('rater_name').notNull(),
    /** set when the rating came through a one-time link rather than a signed-in user */
    inviteId: uuid('invite_id').references((): AnyPgColumn => useCaseInvites.id, { onDelete: 'set null' }),
    severity: integer('severity').notNull(),
    comment: text('comment').notNull().default(''),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex('use_case_ratings_rater_idx').on(t.useCaseId, t.raterId)],
)

/** Every change, field by field, with who made it. */
export const useCaseHistory = pgTable(
  'use_case_history',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    useCaseId: uuid('use_case_id')
      .notNull()
      .references(() => useCases.id, { onDelete: 'cascade' }),
    actorId: uuid('actor_id').references(() => users.id, { onDelete: 'set null' }),
    summary: text('summary').notNull(),
    changes: jsonb('changes').notNull().default({}),
    at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('use_case_history_use_case_idx').on(t.useCaseId)],
)

export const useCasePipelines = pgTable(
  'use_case_pipelines',
  {
    useCaseId: uuid('use_case_id')
      .notNull()
      .references(() => useCases.id, { onDelete: 'cascade' }),
    pipelineId: uuid('pipeline_id')
      .notNull()
      .references(() => pipelines.id, { onDelete: 'cascade' }),
  },
  (t) => [primaryKey({ columns: [t.useCaseId, t.pipelineId] })],
)

/** The board's scoring settings (method, horizon, weights): one row, id 'default'. */
export const useCaseBoards = pgTable('use_case_boards', {
  id: text('id').primaryKey(),
  settings: jsonb('settings').notNull(),
  updatedBy: uuid('updated_by').references(() => users.id, { onDelete: 'set null' }),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
})

/**
 * A one-time link that lets someone without an account rate severity: of one use case, or of
 * every open one when `useCaseId` is null. Only the token's SHA-256 is stored.
 */
export const useCaseInvites = pgTable('use_case_invites', {
  id: uuid('id').primaryKey().defaultRandom(),
  tokenHash: text('token_hash').notNull().unique(),
  raterName: text('rater_name').notNull(),
  useCaseId: uuid('use_case_id').references(() => useCases.id, { onDelete: 'cascade' }),
  createdBy: uuid('created_by').references(() => users.id, { onDelete: 'set null' }),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
  usedAt: timestamp('used_at', { withTimezone: true }),
})
