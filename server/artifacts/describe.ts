import type { ArtifactRow } from './metadata'

/** What the REST API and the UI say about an artifact. */
export function describeArtifact(row: ArtifactRow) {
  return {
    id: row.id,
    kind: row.kind,
    sizeBytes: row.sizeBytes,
    mediaType: row.mediaType,
    filename: row.filename,
    createdAt: row.createdAt,
    ...(row.kind === 'dataset' ? { rowCount: row.rowCount, schema: row.schema } : {}),
  }
}
