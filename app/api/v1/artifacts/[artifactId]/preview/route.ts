import { z } from 'zod'
import { previewArtifact } from '@/server/artifacts/preview'
import { requireArtifactId } from '@/server/http/ids'
import { apiRoute } from '@/server/http/route'

const query = z.object({ limit: z.coerce.number().int().min(1).max(1000).default(100) })

export const GET = apiRoute<{ artifactId: string }>('artifact:read', async ({ request, params, services }) => {
  const { limit } = query.parse(Object.fromEntries(new URL(request.url).searchParams))
  return previewArtifact(services.db, services.store, requireArtifactId(params.artifactId), limit)
})
