// A handed-off model arrives: it is checked (it loads, its opset is supported, its inputs are the
// dataset's features with the right types), published and registered exactly as a built-in
// trainer's model, and the parked step succeeds. A refused file leaves the step waiting, so the
// trainer can send a corrected one until the handoff times out.
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { eq, and, isNull } from 'drizzle-orm'
import { handoffs, steps } from '@/db/schema'
import { StepError } from '@/nodes/contract'
import type { Feature, ModelMetadata, TensorSignature } from '@/nodes/_lib/models/metadata'
import { ConflictError } from '@/server/errors'
import { inspectOnnx } from '@/server/models/inspect'
import { ModelRefusedError } from '@/server/models/signature'
import { publishOutputs } from '@/server/runner/publish-outputs'
import { advanceRun } from '@/server/runner/scheduler'
import { completeWaitingStep } from '@/server/runner/state-machine'
import type { Services } from '@/server/services'
import type { HandoffRow } from './tickets'

type AcceptServices = Pick<Services, 'db' | 'store' | 'queue'>

const expectedType: Record<Feature['kind'], TensorSignature['type']> = { number: 'float32', category: 'string', image: 'uint8' }

/** Every input of the model must be a feature of the dataset, of the type the raw rows feed. */
function checkInputs(inputs: readonly TensorSignature[], features: readonly Feature[]): void {
  const byName = new Map(features.map((f) => [f.name, f]))
  for (const input of inputs) {
    const feature = byName.get(input.name)
    if (!feature) {
      throw new ModelRefusedError(`The model's input "${input.name}" is not a feature of the handed-off dataset; its inputs must be named after the manifest's features (${features.map((f) => JSON.stringify(f.name)).join(', ')}).`)
    }
    if (input.type !== expectedType[feature.kind]) {
      throw new ModelRefusedError(`The model's input "${input.name}" is ${input.type}, but the feature is ${feature.kind === 'image' ? 'an image' : `a ${feature.kind}`}: it takes ${expectedType[feature.kind]} (see the manifest's "inputs").`)
    }
  }
}

/** The metadata the arriving file gets: what was known before training plus the file's own signature. */
function arrivingMetadata(handoff: HandoffRow, inputs: TensorSignature[], outputs: TensorSignature[]): ModelMetadata {
  const known = handoff.model.metadata
  const used = new Set(inputs.map((i) => i.name))
  return { ...known, features: known.features.filter((f) => used.has(f.name)), inputs, outputs }
}

export async function acceptHandoffModel(services: AcceptServices, handoff: HandoffRow, bytes: Uint8Array): Promise<{ artifactId: string; stepId: string; nodeId: string; runId: string }> {
  if (bytes.byteLength === 0) throw new ModelRefusedError('The body is empty: send the ONNX file itself as the request body.')
  const inspected = await inspectOnnx(bytes)
  checkInputs(inspected.inputs, handoff.model.metadata.features)
  const metadata = arrivingMetadata(handoff, inspected.inputs, inspected.outputs)
  const [step] = await services.db.select().from(steps).where(eq(steps.id, handoff.stepId))
  if (!step) throw new ConflictError('The step of this handoff is gone.')
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pipewright-handoff-'))
  try {
    const file = path.join(dir, 'model.onnx')
    fs.writeFileSync(file, bytes)
    const pending = {
      byPort: new Map([[handoff.port, { type: 'model' as const, path: file, metadata, ...(handoff.model.registerAs ? { registerAs: handoff.model.registerAs } : {}) }]]),
      blobs: new Map(),
      aliasMoves: [],
    }
    const outputs = await publishOutputs(services, { kind: step.kind, nodeId: step.nodeId, runId: step.runId, inputArtifactIds: Object.values(handoff.files) }, { [handoff.port]: 'model' }, pending).catch((error: unknown) => {
      throw error instanceof StepError ? new ModelRefusedError(error.message) : error
    })
    // the token is spent with the step's success, in that order: a crash between them leaves a token that answers 410
    const used = await services.db.update(handoffs).set({ usedAt: new Date() }).where(and(eq(handoffs.id, handoff.id), isNull(handoffs.usedAt))).returning({ id: handoffs.id })
    if (used.length === 0 || !(await completeWaitingStep(services.db, step.id, step.runId, outputs))) {
      throw new ConflictError('Another model for this handoff arrived first; this one was not taken.')
    }
    await advanceRun(services, step.runId)
    return { artifactId: outputs[handoff.port]!, stepId: step.id, nodeId: step.nodeId, runId: step.runId }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true })
  }
}
