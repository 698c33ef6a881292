import { boolean, index, integer, jsonb, pgTable, real, text, timestamp, uuid } from 'drizzle-orm/pg-core'
import { pipelines } from './pipelines'
import { users } from './users'

export const deploymentTargets = ['server'] as const
export const challengerStrategies = ['canary', 'shadow', 'blue-green'] as const
export type ChallengerStrategy = (typeof challengerStrategies)[number]
export const deploymentStates = ['live', 'paused'] as const
export type DeploymentState = (typeof deploymentStates)[number]

/**
 * A model served under a stable name. `stableVersion` answers; a challenger, when there is one,
 * takes `weight`% of the traffic (canary) or sees every request without answering (shadow).
 * A blue-green switch moves `stableVersion` at once and keeps the one before as `previousVersion`,
 * which is what a rollback goes back to. Serving processes read this row and follow it.
 */
export const deployments = pgTable('deployments', {
  id: uuid('id').primaryKey().defaultRandom(),
  name: text('name').notNull().unique(),
  target: text('target', { enum: deploymentTargets }).notNull().default('server'),
  modelName: text('model_name').notNull(),
  /** the alias the deployment was made from, when it was (the version it pointed at is `stableVersion`) */
  alias: text('alias'),
  stableVersion: integer('stable_version').notNull(),
  previousVersion: integer('previous_version'),
  challengerVersion: integer('challenger_version'),
  challengerStrategy: text('challenger_strategy', { enum: challengerStrategies }),
  /** percent of requests the canary answers (two decimals) */
  weight: real('weight').notNull().default(0),
  state: text('state', { enum: deploymentStates }).notNull().default('live'),
  /** the fail-safe rules, checked against the model when set */
  failsafe: jsonb('failsafe').$type<Record<string, unknown>>(),
  /** anyone may call its inference endpoints, without a token */
  public: boolean('public').notNull().default(false),
  /** the share of requests written to the prediction log, 0…1 */
  logSample: real('log_sample').notNull().default(1),
  /** micro-batching and limits: maxBatch, maxWaitMs, timeoutMs, threads, maxQueue */
  serving: jsonb('serving').$type<Record<string, number>>().notNull().default({}),
  /** queues or topics it consumes (AMQP, MQTT, NATS) */
  events: jsonb('events').$type<Record<string, unknown>[]>().notNull().default([]),
  createdBy: uuid('created_by').references(() => users.id, { onDelete: 'set null' }),
  /** the pipeline whose deploy step made or last rolled out this deployment (a use case shows it) */
  pipelineId: uuid('pipeline_id').references(() => pipelines.id, { onDelete: 'set null' }),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  /** bumped on every change: serving processes poll it */
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
})

/** Every change of a deployment: who, when, what. The audit log has the same from the routes. */
export const deploymentEvents = pgTable(
  'deployment_events',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    deploymentId: uuid('deployment_id')
      .notNull()
      .references(() => deployments.id, { onDelete: 'cascade' }),
    actorId: uuid('actor_id').references(() => users.id, { onDelete: 'set null' }),
    /** who, in words, kept when the user is gone: an email, or `run <id>` for a deploy node */
    actorLabel: text('actor_label').notNull(),
    action: text('action').notNull(),
    detail: jsonb('detail').$type<Record<string, unknown>>().notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('deployment_events_deployment_idx').on(t.deploymentId, t.createdAt)],
)

/** One answered request (or a sample of them), written off the request's path. */
export const predictions = pgTable(
  'predictions',
  {
    id: uuid('id').primaryKey(),
    deploymentId: uuid('deployment_id')
      .notNull()
      .references(() => deployments.id, { onDelete: 'cascade' }),
    modelVersion: integer('model_version').notNull(),
    /** through which door: `v2`, `records`, `amqp`, `mqtt`, `nats` */
    protocol: text('protocol').notNull(),
    inputs: jsonb('inputs').$type<unknown>().notNull(),
    outputs: jsonb('outputs').$type<unknown>(),
    error: text('error'),
    latencyMs: real('latency_ms').notNull(),
    fallback: boolean('fallback').notNull().default(false),
    fallbackReason: text('fallback_reason'),
    /** a shadow's answer, logged beside the one that was given */
    shadow: boolean('shadow').notNull().default(false),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('predictions_deployment_idx').on(t.deploymentId, t.createdAt)],
)
