import { acceptHandoffModel } from '@/server/handoffs/accept-model'
import { authorizeHandoff } from '@/server/handoffs/tickets'
import { readBodyBytes } from '@/server/http/body'
import { publicRoute } from '@/server/http/route'

/**
 * `POST /api/v1/handoffs/{id}/model`, the ONNX file as the raw body, `Authorization: Bearer <handoff token>`:
 * the waiting step succeeds with it and the run goes on. 400 a file that is not a fitting model (the step keeps
 * waiting), 401 a wrong token, 410 a used or timed-out handoff.
 */
export const POST = publicRoute<{ handoffId: string }>(async ({ request, params, services }) => {
  const handoff = await authorizeHandoff(services.db, params.handoffId, request.headers.get('authorization'))
  const bytes = await readBodyBytes(request, services.env.PIPEWRIGHT_MAX_UPLOAD_BYTES)
  const accepted = await acceptHandoffModel(services, handoff, bytes)
  return Response.json({ accepted: true, ...accepted }, { status: 201 })
})
