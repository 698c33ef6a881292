import { bigserial, index, integer, jsonb, pgTable, primaryKey, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core'
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
