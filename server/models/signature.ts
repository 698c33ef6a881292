// A model file's signature as onnxruntime-node loads it, and how it is compared with the metadata
// a step or an import claims for it: serving and the edge run what the runtime sees, not what we say.
import { InferenceSession } from 'onnxruntime-node'
import { tensorTypes, type ModelMetadata, type TensorSignature, type TensorType } from '@/nodes/_lib/models/metadata'

/** A model the runtime refused, or whose signature disagrees with its metadata: the caller's fault, a 400 or a failed step. */
export class ModelRefusedError extends Error {
  override name = 'ModelRefusedError'
}

const isTensorType = (type: string): type is TensorType => (tensorTypes as readonly string[]).includes(type)

/** A dimension the runtime reports without a size: its name, or "?" when it has none. */
function dimension(dim: number | string): number | string {
  if (typeof dim === 'number') return dim >= 0 ? dim : '?'
  return dim === '' ? '?' : dim
}

function toSignature(value: InferenceSession.ValueMetadata): TensorSignature {
  if (!value.isTensor) throw new ModelRefusedError(`Its value "${value.name}" is not a tensor; Pipewright reads tensor inputs and outputs only.`)
  if (!isTensorType(value.type)) {
    throw new ModelRefusedError(`Its value "${value.name}" has element type ${value.type}; Pipewright reads ${tensorTypes.join(', ')}.`)
  }
  return { name: value.name, type: value.type, shape: value.shape.map(dimension) }
}

/** Loads the bytes in onnxruntime-node; refuses them with the runtime's reason when they do not load. */
export async function loadSignature(bytes: Uint8Array): Promise<{ inputs: TensorSignature[]; outputs: TensorSignature[] }> {
  let session: InferenceSession
  try {
    session = await InferenceSession.create(bytes)
  } catch (error) {
    const reason = (error instanceof Error ? error.message : String(error)).split('\n')[0]!.slice(0, 500)
    throw new ModelRefusedError(`The model does not load in onnxruntime-node: ${reason}`)
  }
  try {
    return { inputs: session.inputMetadata.map(toSignature), outputs: session.outputMetadata.map(toSignature) }
  } finally {
    await session.release()
  }
}

const shown = (shape: readonly (number | string)[]) => `[${shape.join(', ')}]`

/** The first way `claimed` differs from `actual`, in words; null when they agree. */
function differenceOf(side: 'input' | 'output', claimed: readonly TensorSignature[], actual: readonly TensorSignature[]): string | null {
  const names = (list: readonly TensorSignature[]) => list.map((t) => t.name).join(', ') || '(none)'
  if (claimed.length !== actual.length || claimed.some((t, i) => t.name !== actual[i]!.name)) {
    return `its ${side}s are ${names(actual)}, the metadata says ${names(claimed)}`
  }
  for (const [i, want] of claimed.entries()) {
    const got = actual[i]!
    if (want.type !== got.type) return `${side} "${got.name}" is ${got.type}, the metadata says ${want.type}`
    const sameShape = want.shape.length === got.shape.length && want.shape.every((d, k) => d === got.shape[k])
    if (!sameShape) return `${side} "${got.name}" has shape ${shown(got.shape)}, the metadata says ${shown(want.shape)}`
  }
  return null
}

/** Refuses a model whose inputs or outputs (names, element types, dims, dynamic dims by name) disagree with its metadata. */
export async function verifyModel(bytes: Uint8Array, metadata: Pick<ModelMetadata, 'inputs' | 'outputs'>): Promise<void> {
  const actual = await loadSignature(bytes)
  const problem = differenceOf('input', metadata.inputs, actual.inputs) ?? differenceOf('output', metadata.outputs, actual.outputs)
  if (problem) throw new ModelRefusedError(`The model's signature disagrees with its metadata: ${problem}.`)
}
