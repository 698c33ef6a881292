import { acceptHandoffModel } from '@/server/handoffs/accept-model'
import { authorizeHandoff } from '@/server/handoffs/tickets'
import { readBodyBytes } from '@/server/http/body'
import { publicRoute } from '@/server/http/route'

/**
 * `POST /api/v1/handoffs/{id}/model`, the ONNX file as the raw body, `Authorization: Bearer <handoff token>`:
 * the waiting step succeeds with it and the run goes on. 400 a file that is not a fitting model (the step keeps
 * waiting), 401 a wrong token, 410 a used or timed-out handoff. Audited as an import by the trainer: the token
 * names no person, so the handoff is the client.
 */
export const POST = publicRoute<{ handoffId: string }>(
  async ({ request, params, services, audit }) => {
    const handoff = await authorizeHandoff(services.db, params.handoffId, request.headers.get('authorization'))
    const bytes = await readBodyBytes(request, services.env.PIPEWRIGHT_MAX_UPLOAD_BYTES)
    const accepted = await acceptHandoffModel(services, handoff, bytes)
    audit.who = { id: null, label: 'external trainer', client: `handoff ${handoff.id}` }
    audit.on(`run ${accepted.runId} step ${accepted.nodeId}`, { artifactId: accepted.artifactId, handoffId: handoff.id })
    return Response.json({ accepted: true, ...accepted }, { status: 201 })
  },
  { audit: 'model.import' },
)
