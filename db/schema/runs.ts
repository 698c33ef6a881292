import { sql } from 'drizzle-orm'
import { bigserial, boolean, index, integer, jsonb, pgTable, real, text, timestamp, uuid, type AnyPgColumn } from 'drizzle-orm/pg-core'
import { pipelines, pipelineVersions } from './pipelines'
import { users } from './users'
import type { CurvePoint } from '../../nodes/contract'

export const runStatuses = ['queued', 'running', 'waiting', 'succeeded', 'failed', 'canceled'] as const
export type RunStatus = (typeof runStatuses)[number]
export const stepStatuses = [...runStatuses, 'skipped'] as const
export type StepStatus = (typeof stepStatuses)[number]

export const runs = pgTable(
  'runs',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    pipelineId: uuid('pipeline_id')
      .notNull()
      .references(() => pipelines.id, { onDelete: 'cascade' }),
    versionId: uuid('version_id')
      .notNull()
      .references(() => pipelineVersions.id, { onDelete: 'cascade' }),
    version: integer('version').notNull(),
    status: text('status', { enum: runStatuses }).notNull().default('queued'),
    /** run every step even when its cache key was computed before */
    noCache: boolean('no_cache').notNull().default(false),
    /** a forced re-run: the run it re-runs, and the node it was re-run from (that node and its descendants skip the cache) */
    rerunOf: uuid('rerun_of').references((): AnyPgColumn => runs.id, { onDelete: 'set null' }),
    rerunNodeId: text('rerun_node_id'),
    error: text('error'),
    createdBy: uuid('created_by').references(() => users.id, { onDelete: 'set null' }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    startedAt: timestamp('started_at', { withTimezone: true }),
    finishedAt: timestamp('finished_at', { withTimezone: true }),
  },
  (t) => [
    index('runs_pipeline_idx').on(t.pipelineId, t.createdAt),
    // the reconciler looks for unfinished runs every few seconds; they are few, the finished ones many
    index('runs_active_idx').on(t.status).where(sql`status in ('queued', 'running', 'waiting')`),
  ],
)

/** `{ port: { nodeId, port } }`: where each input comes from. */
export type StepInputs = Record<string, { nodeId: string; port: string }>
/** `{ port: artifactId }` */
export type StepOutputs = Record<string, string>

export const steps = pgTable(
  'steps',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    runId: uuid('run_id')
      .notNull()
      .references(() => runs.id, { onDelete: 'cascade' }),
    nodeId: text('node_id').notNull(),
    /** position in the compiled order, for display */
    position: integer('position').notNull(),
    kind: text('kind').notNull(),
    nodeVersion: integer('node_version').notNull(),
    config: jsonb('config').notNull(),
    inputs: jsonb('inputs').$type<StepInputs>().notNull(),
    status: text('status', { enum: stepStatuses }).notNull().default('queued'),
    cached: boolean('cached').notNull().default(false),
    /** for a cached step: the run whose step computed the result (null once that run is deleted) */
    cachedFromRunId: uuid('cached_from_run_id').references(() => runs.id, { onDelete: 'set null' }),
    /** run for real even when the cache has the key: the forced node of a re-run and what depends on it */
    skipCache: boolean('skip_cache').notNull().default(false),
    cacheKey: text('cache_key'),
    /** tries so far */
    attempt: integer('attempt').notNull().default(0),
    maxAttempts: integer('max_attempts').notNull(),
    backoffMs: integer('backoff_ms').notNull(),
    /** when the step was last handed to the queue; set by whoever does it, so enqueueing stays idempotent */
    enqueuedAt: timestamp('enqueued_at', { withTimezone: true }),
    /** who holds the running attempt: set at each claim, so a superseded worker's writes change nothing */
    leaseId: uuid('lease_id'),
    /** written by the worker holding the lease while the step runs; a stale one means nobody is running it */
    heartbeatAt: timestamp('heartbeat_at', { withTimezone: true }),
    /** how often the reconciler put this step back on the queue after its job was lost */
    recoveries: integer('recoveries').notNull().default(0),
    startedAt: timestamp('started_at', { withTimezone: true }),
    finishedAt: timestamp('finished_at', { withTimezone: true }),
    progress: real('progress'),
    progressMessage: text('progress_message'),
    /** the live chart an executor draws while it runs (training loss and metrics per epoch) */
    curve: jsonb('curve').$type<CurvePoint[]>(),
    error: text('error'),
    outputs: jsonb('outputs').$type<StepOutputs>().notNull().default({}),
  },
  (t) => [
    index('steps_run_idx').on(t.runId),
    index('steps_cache_key_idx').on(t.cacheKey),
    index('steps_active_idx').on(t.status).where(sql`status in ('queued', 'running')`),
    // deleting a run sets the cache source of steps cached from it to null: found by index, not by a scan
    index('steps_cached_from_idx').on(t.cachedFromRunId).where(sql`cached_from_run_id is not null`),
  ],
)

export const stepLogs = pgTable(
  'step_logs',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    runId: uuid('run_id')
      .notNull()
      .references(() => runs.id, { onDelete: 'cascade' }),
    stepId: uuid('step_id')
      .notNull()
      .references(() => steps.id, { onDelete: 'cascade' }),
    at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
    level: text('level', { enum: ['debug', 'info', 'warn', 'error'] }).notNull(),
    message: text('message').notNull(),
  },
  (t) => [index('step_logs_run_idx').on(t.runId, t.id)],
)
