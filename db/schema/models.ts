import { integer, jsonb, pgTable, primaryKey, text, timestamp, uuid } from 'drizzle-orm/pg-core'
import type { ModelMetadata } from '../../nodes/_lib/models/metadata'
import { artifacts } from './artifacts'
import { users } from './users'

/** What travels with a model artifact (its signature, labels, features), keyed by the artifact: the same bytes carry one metadata. */
export const modelMetadata = pgTable('model_metadata', {
  artifactId: text('artifact_id')
    .primaryKey()
    .references(() => artifacts.id, { onDelete: 'cascade' }),
  metadata: jsonb('metadata').$type<ModelMetadata>().notNull(),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
})

/** A named model of the registry; its versions are numbered 1, 2, … */
export const models = pgTable('models', {
  id: uuid('id').primaryKey().defaultRandom(),
  name: text('name').notNull().unique(),
  createdBy: uuid('created_by').references(() => users.id, { onDelete: 'set null' }),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
})

/** Where a version came from; null for an imported file. */
export interface ModelLineage {
  runId: string
  pipelineId: string
  pipelineVersion: number
  nodeId: string
  inputArtifactIds: string[]
  params: Record<string, unknown>
  metrics: Record<string, number>
}

/** Immutable: a version points at one model artifact; two versions may share the bytes. */
export const modelVersions = pgTable(
  'model_versions',
  {
    modelId: uuid('model_id')
      .notNull()
      .references(() => models.id, { onDelete: 'cascade' }),
    version: integer('version').notNull(),
    artifactId: text('artifact_id')
      .notNull()
      .references(() => artifacts.id),
    /** the version's own copy: an import of the same bytes with other labels is another version */
    metadata: jsonb('metadata').$type<ModelMetadata>().notNull(),
    description: text('description'),
    tags: jsonb('tags').$type<string[]>().notNull().default([]),
    lineage: jsonb('lineage').$type<ModelLineage>(),
    createdBy: uuid('created_by').references(() => users.id, { onDelete: 'set null' }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.modelId, t.version] })],
)

/** `champion`, `challenger` or any slug: points at one version; every move is in the audit log. */
export const modelAliases = pgTable(
  'model_aliases',
  {
    modelId: uuid('model_id')
      .notNull()
      .references(() => models.id, { onDelete: 'cascade' }),
    alias: text('alias').notNull(),
    version: integer('version').notNull(),
    updatedBy: uuid('updated_by').references(() => users.id, { onDelete: 'set null' }),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.modelId, t.alias] })],
)
