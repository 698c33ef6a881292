import { acceptHandoffModel } from '@/server/handoffs/accept-model'
import { waitingHandoffOf } from '@/server/handoffs/tickets'
import { readBodyBytes } from '@/server/http/body'
import { requireUuid } from '@/server/http/ids'
import { apiRoute } from '@/server/http/route'

/**
 * `POST /api/v1/runs/{runId}/steps/{nodeId}/model`, the ONNX file as the raw body: a person uploads the model
 * a waiting train step asked for (the manual handoff). 400 a file that does not fit (the step keeps waiting),
 * 409 a step that trains itself, 410 one that no longer waits.
 */
export const POST = apiRoute<{ runId: string; nodeId: string }>(
  'model:register',
  async ({ request, params, services, audit }) => {
    const runId = requireUuid(params.runId, 'run')
    const handoff = await waitingHandoffOf(services.db, runId, params.nodeId)
    const bytes = await readBodyBytes(request, services.env.PIPEWRIGHT_MAX_UPLOAD_BYTES)
    const accepted = await acceptHandoffModel(services, handoff, bytes)
    audit.on(`run ${runId} step ${params.nodeId}`, { artifactId: accepted.artifactId, handoffId: handoff.id })
    return Response.json({ accepted: true, ...accepted }, { status: 201 })
  },
  { audit: 'model.import' },
)
