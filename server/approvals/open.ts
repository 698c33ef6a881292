// Parking a step for approval on the worker: what it would publish (JSON only) is kept with the
// approval, so the decision later publishes it without the executor and without a worker.
import { approvals } from '@/db/schema'
import type { Db } from '@/db'
import { StepError, type ApprovalRequest, type PortType, type StepOutputValues } from '@/nodes/contract'
import type { PendingOutputs } from '@/nodes/_lib/pending-outputs'

export function keptOutputs(kind: string, declared: Readonly<Record<string, PortType>>, pending: PendingOutputs): StepOutputValues {
  if (pending.blobs.size > 0 || pending.aliasMoves.length > 0) throw new StepError(`The ${kind} step asks for approval, so it may write only JSON outputs (reports, deployments).`)
  const kept: StepOutputValues = {}
  for (const [port, type] of Object.entries(declared)) {
    const output = pending.byPort.get(port)
    if (!output || output.type !== type) throw new StepError(`The ${kind} executor wrote no "${port}" ${type}.`)
    if (output.type !== 'report' && output.type !== 'deployment') throw new StepError(`The ${kind} step asks for approval, so its "${port}" output must be JSON, not a ${output.type}.`)
    kept[port] = { type: output.type, value: output.value }
  }
  return kept
}

export async function openApproval(
  db: Db,
  step: { id: string; runId: string; kind: string },
  request: ApprovalRequest,
  outputs: StepOutputValues,
  inputArtifactIds: string[],
): Promise<string> {
  if (!Number.isFinite(request.timeoutMs) || request.timeoutMs <= 0) throw new StepError(`The ${step.kind} step asked for approval without a positive timeout.`)
  // both times from one clock, so the wait the expiry message names is the one asked for
  const createdAt = new Date()
  const expiresAt = new Date(createdAt.getTime() + request.timeoutMs)
  const [row] = await db
    .insert(approvals)
    .values({ stepId: step.id, runId: step.runId, permission: request.permission, summary: request.summary.slice(0, 2000), outputs, inputArtifactIds, createdAt, expiresAt })
    .returning({ id: approvals.id })
  return row!.id
}
