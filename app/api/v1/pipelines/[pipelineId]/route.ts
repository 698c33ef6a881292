import { requireUuid } from '@/server/http/ids'
import { apiRoute, bodyLimits, readJson } from '@/server/http/route'
import { getVersion, savePipelineVersion } from '@/server/pipelines/pipelines'

type Params = { pipelineId: string }

/** The head version's pipeline file, as `pipewright export` writes it. */
export const GET = apiRoute<Params>('pipeline:read', async ({ params, services }) => {
  const version = await getVersion(services.db, requireUuid(params.pipelineId, 'pipeline'))
  return { id: version.pipelineId, version: version.version, file: version.file }
})

/** Saves the body as a new immutable version. `?message=` describes the change. */
export const PUT = apiRoute<Params>(
  'pipeline:edit',
  async ({ request, params, services, actor, audit }) => {
    const id = requireUuid(params.pipelineId, 'pipeline')
    const message = new URL(request.url).searchParams.get('message') ?? undefined
    const saved = await savePipelineVersion(services.db, id, await readJson(request, { maxBytes: bodyLimits.pipelineFile }), { actorId: actor.id, message })
    audit.on(`pipeline ${id}`, { version: saved.version, ...(message ? { message } : {}) })
    return saved
  },
  { audit: 'pipeline.save' },
)
