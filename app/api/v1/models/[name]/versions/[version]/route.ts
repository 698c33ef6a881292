import { getModelVersion } from '@/server/models/registry'
import { updateVersionNotes, versionNotesBody } from '@/server/models/version-notes'
import { requireModelName, requireVersionNumber } from '@/server/http/ids'
import { apiRoute, bodyLimits, readJson } from '@/server/http/route'

/** One version: its signature (`inputs`, `outputs`), `labels`, `aliases`, `lineage` and the rest of its metadata. */
export const GET = apiRoute<{ name: string; version: string }>('model:read', async ({ params, services }) => {
  const found = await getModelVersion(services.db, requireModelName(params.name), requireVersionNumber(params.version))
  const { metadata, ...record } = found
  return { ...record, ...metadata, labels: metadata.labels ?? null, metadata }
})

/** `PATCH` `{ description?, tags? }`: what people write on a version; the change (before and after) is audited. */
export const PATCH = apiRoute<{ name: string; version: string }>(
  'model:register',
  async ({ request, params, services, audit }) => {
    const name = requireModelName(params.name)
    const version = requireVersionNumber(params.version)
    const notes = versionNotesBody.parse(await readJson(request, { maxBytes: bodyLimits.json }))
    const change = await updateVersionNotes(services.db, name, version, notes)
    audit.on(`model ${name} version ${version}`, { ...change })
    return { name, version, ...change.after }
  },
  { audit: 'model.update' },
)
