// What a trainer downloads with its token: the manifest, and the handed-off files by name.
import fs from 'node:fs'
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

export async function bundleFile(services: Pick<Services, 'store'>, handoff: HandoffRow, name: string): Promise<Response> {
  const artifactId = handoff.files[name]
  if (!artifactId) throw new NotFoundError(`This handoff has no file ${JSON.stringify(name.slice(0, 100))}; it has ${Object.keys(handoff.files).join(', ')}.`)
  const file = await services.store.localPath(artifactId)
  const size = (await fs.promises.stat(file)).size
  const stream = fs.createReadStream(file)
  return new Response(stream as unknown as ReadableStream, { headers: { 'content-type': 'application/vnd.apache.parquet', 'content-length': String(size), 'content-disposition': `attachment; filename="${name}"` } })
}
