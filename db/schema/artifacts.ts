import { bigint, jsonb, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core'
import type { DatasetColumn } from '../../nodes/contract'
import { artifactKinds } from '../../nodes/contract'
import { users } from './users'

/** Metadata of a content-addressed blob; the bytes live in the artifact store. */
export const artifacts = pgTable('artifacts', {
  /** sha256 of the content, hex */
  id: text('id').primaryKey(),
  kind: text('kind', { enum: artifactKinds }).notNull(),
  sizeBytes: bigint('size_bytes', { mode: 'number' }).notNull(),
  mediaType: text('media_type').notNull(),
  filename: text('filename'),
  rowCount: bigint('row_count', { mode: 'number' }),
  schema: jsonb('schema').$type<DatasetColumn[]>(),
  createdBy: uuid('created_by').references(() => users.id, { onDelete: 'set null' }),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
})
