// What a trainer downloads with its token: the manifest, and the handed-off files by name.
import fs from 'node:fs'
import { desc, eq } from 'drizzle-orm'
import type { Db } from '@/db'
import { handoffs } from '@/db/schema'
import type { Services } from '@/server/services'
import { NotFoundError } from '@/server/errors'
import type { HandoffRow } from './tickets'

export function manifestView(handoff: HandoffRow, bundleUrl: string) {
  return {
    id: handoff.id,
    expiresAt: handoff.expiresAt.toISOString(),
    manifest: handoff.manifest,
    files: Object.fromEntries(Object.keys(handoff.files).map((name) => [name, `${bundleUrl}/files/${name}`])),
    callbackUrl: `${bundleUrl}/model`,
  }
}

const contentTypes: Record<string, string> = { parquet: 'application/vnd.apache.parquet', csv: 'text/csv; charset=utf-8', zip: 'application/zip' }

function contentTypeOf(name: string): string {
  return contentTypes[name.split('.').at(-1) ?? ''] ?? 'application/octet-stream'
}

export async function bundleFile(services: Pick<Services, 'store'>, handoff: HandoffRow, name: string): Promise<Response> {
  const artifactId = handoff.files[name]
  if (!artifactId) throw new NotFoundError(`This handoff has no file ${JSON.stringify(name.slice(0, 100))}; it has ${Object.keys(handoff.files).join(', ')}.`)
  const file = await services.store.localPath(artifactId)
  const size = (await fs.promises.stat(file)).size
  const stream = fs.createReadStream(file)
  return new Response(stream as unknown as ReadableStream, { headers: { 'content-type': contentTypeOf(name), 'content-length': String(size), 'content-disposition': `attachment; filename="${name}"` } })
}

/** What a waiting step's page shows of its handoff: never the token. */
export async function handoffSummary(db: Db, stepId: string) {
  const [row] = await db.select().from(handoffs).where(eq(handoffs.stepId, stepId)).orderBy(desc(handoffs.createdAt)).limit(1)
  if (!row) return null
  const manifest = row.manifest as { task?: string; label?: string; labels?: string[]; features?: { name: string; kind: string }[] }
  return {
    id: row.id,
    mode: row.mode,
    expiresAt: row.expiresAt,
    usedAt: row.usedAt,
    task: manifest.task ?? null,
    label: manifest.label ?? null,
    labels: manifest.labels ?? [],
    features: manifest.features ?? [],
    files: Object.keys(row.files),
  }
}
export type HandoffSummary = NonNullable<Awaited<ReturnType<typeof handoffSummary>>>
