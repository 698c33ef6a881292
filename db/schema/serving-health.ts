import { boolean, index, integer, jsonb, pgTable, primaryKey, text, timestamp, uuid } from 'drizzle-orm/pg-core'

/**
 * Live health, per serving process: one row per process, deployment, model version and 5 s bucket,
 * rewritten whole while the bucket fills (`server/serving/health-writer.ts`), pruned after about
 * 15 minutes. The health query adds up every process's rows and merges their latency histograms.
 * `deployment_id` has no foreign key on purpose: a row lives minutes, and a write must never fail
 * (and take the other deployments' buckets with it) because one deployment went away meanwhile.
 */
export const servingHealth = pgTable(
  'serving_health',
  {
    /** hostname, pid and start time of the process that counted these requests */
    processId: text('process_id').notNull(),
    deploymentId: uuid('deployment_id').notNull(),
    modelVersion: integer('model_version').notNull(),
    /** a shadow's runs: its version's numbers, never the deployment's (no caller got them) */
    shadow: boolean('shadow').notNull().default(false),
    bucketStart: timestamp('bucket_start', { withTimezone: true, mode: 'date' }).notNull(),
    requests: integer('requests').notNull(),
    errors: integer('errors').notNull(),
    fallbacks: integer('fallbacks').notNull(),
    /** log-scale latency histogram, bin index → count (`server/serving/health-shape.ts`) */
    latencyBins: jsonb('latency_bins').$type<Record<string, number>>().notNull(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ name: 'serving_health_pk', columns: [t.deploymentId, t.bucketStart, t.processId, t.modelVersion, t.shadow] }),
    index('serving_health_bucket_idx').on(t.bucketStart),
  ],
)
