// What an imported ONNX file's metadata says. A file Pipewright trained carries its own (labels,
// features, reference profile, metrics) and keeps it; for any other the signature comes from the
// file, the task is guessed from it (classification when labels are given), algorithm "imported".
import { readModelMetadata } from '@/nodes/_lib/models/embedded-metadata'
import type { Feature, ModelMetadata, TensorSignature } from '@/nodes/_lib/models/metadata'
import { modelOutputs } from '@/nodes/_lib/models/metadata'
import type { OnnxInspection } from './inspect'
import { ModelRefusedError, verifyModel } from './signature'

export interface ImportOptions {
  /** class names in the order of the probabilities output */
  labels?: string[]
}

/** The output that carries class scores: `probabilities` when present, else the first float [N, K] output. */
function classOutput(outputs: readonly TensorSignature[]): TensorSignature | undefined {
  const scores = outputs.filter((o) => (o.type === 'float32' || o.type === 'float64') && o.shape.length === 2)
  return scores.find((o) => o.name === modelOutputs.probabilities) ?? scores[0]
}

function checkLabels(outputs: readonly TensorSignature[], labels: readonly string[]): void {
  const output = classOutput(outputs)
  if (!output) throw new ModelRefusedError(`Labels were given, but the model has no [N, K] float output of class scores to name; its outputs are ${outputs.map((o) => o.name).join(', ')}.`)
  const classes = output.shape[1]
  if (typeof classes === 'number' && classes !== labels.length) {
    throw new ModelRefusedError(`The model's output "${output.name}" has ${classes} classes, but ${labels.length} labels were given; give one label per class, in order.`)
  }
}

/** Regression when the only score output is one number per row and no labels were given. */
function guessTask(outputs: readonly TensorSignature[], labels: readonly string[] | undefined): ModelMetadata['task'] {
  if (labels) return 'classification'
  const scores = classOutput(outputs)
  return scores && scores.shape[1] === 1 ? 'regression' : 'classification'
}

function featureOf(input: TensorSignature): Feature {
  const [, height, width, channels] = input.shape
  if (input.type === 'uint8' && input.shape.length === 4 && channels === 3 && typeof width === 'number' && typeof height === 'number' && width > 0 && height > 0) {
    return { name: input.name, kind: 'image', width, height }
  }
  if (input.type === 'string') return { name: input.name, kind: 'category', categories: [] }
  return { name: input.name, kind: 'number' }
}

export function importedMetadata(inspected: OnnxInspection, options: ImportOptions): ModelMetadata {
  if (options.labels) checkLabels(inspected.outputs, options.labels)
  const task = guessTask(inspected.outputs, options.labels)
  return {
    task,
    label: task === 'classification' ? modelOutputs.label : modelOutputs.prediction,
    ...(options.labels ? { labels: options.labels } : {}),
    features: inspected.inputs.map(featureOf),
    inputs: inspected.inputs,
    outputs: inspected.outputs,
    algorithm: 'imported',
    params: { producer: inspected.producer, irVersion: inspected.irVersion, opsets: inspected.opsets },
  }
}

function embeddedMetadataOf(bytes: Uint8Array): ModelMetadata | undefined {
  try {
    return readModelMetadata(bytes)
  } catch (error) {
    const issue = (error as { issues?: { path: PropertyKey[]; message: string }[] }).issues?.[0]
    const detail = issue ? `${issue.path.join('.') || '(metadata)'}: ${issue.message}` : (error as Error).message
    throw new ModelRefusedError(`The file's embedded Pipewright metadata (metadata_props "pipewright") is not valid: ${detail}.`)
  }
}

/**
 * The metadata an imported file registers with: its embedded Pipewright metadata when it has some
 * (a model downloaded from another Pipewright keeps its classes and reference profile, so the
 * fail-safe and the preview form work), checked against the file's real signature; else what the
 * file itself says.
 */
export async function metadataForImport(bytes: Uint8Array, inspected: OnnxInspection, options: ImportOptions): Promise<ModelMetadata> {
  const embedded = embeddedMetadataOf(bytes)
  if (!embedded) return importedMetadata(inspected, options)
  if (options.labels && JSON.stringify(options.labels) !== JSON.stringify(embedded.labels ?? [])) {
    throw new ModelRefusedError(
      `The file carries Pipewright metadata naming its classes ${JSON.stringify(embedded.labels ?? [])}, but the labels given are ${JSON.stringify(options.labels)}. Leave labels out, or give the same ones in the same order.`,
    )
  }
  await verifyModel(bytes, embedded)
  return embedded
}
