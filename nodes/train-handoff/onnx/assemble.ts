// Joins preprocessing and a learned head into one ONNX model with the outputs every Pipewright
// model has (`modelOutputs`): classification `label` (string [N], the argmax's class name) and
// `probabilities` (float32 [N, K]); regression `prediction` (float32 [N, 1]). The model metadata
// travels inside the file (metadata_props key `pipewright`), so an exported file keeps its labels.
//
// Operators: Softmax (only when the head gives margins), ArgMax, Gather on a string constant,
// Identity (ai.onnx 17).
import { onnx } from '../../_lib/models/onnx'
import { modelMetadataSchema, modelOutputs, type ModelMetadata, type ModelTask, type TensorSignature } from '@/nodes/_lib/models/metadata'
import { headInput, headOutput, type OnnxHead } from '@/nodes/_lib/models/onnx-head'
import { attr, mergeOpsets, node, stringTensor, valueInfo, type Subgraph } from './builder'
import type { PreprocessGraph } from './preprocess-graph'
import { metadataKey } from '@/nodes/_lib/models/embedded-metadata'

const outputPrefix = 'pipewright.out'

/** What the caller knows beyond the graph: the rest of the metadata. */
export type AssembleMetadata = Omit<ModelMetadata, 'task' | 'labels' | 'features' | 'inputs' | 'outputs'>

export interface AssembleInput {
  preprocess: PreprocessGraph
  head: OnnxHead
  task: ModelTask
  /** classification: class names in the order of the head's scores */
  labels?: readonly string[]
  metadata: AssembleMetadata
  /** ai.onnx version of the model, at least what the pieces ask for */
  opset?: number
}

export interface AssembledModel {
  bytes: Uint8Array
  inputs: TensorSignature[]
  outputs: TensorSignature[]
  metadata: ModelMetadata
}

export function assembleModel(input: AssembleInput): AssembledModel {
  const { preprocess, task } = input
  const labels = task === 'classification' ? checkLabels(input.labels) : undefined
  const head = connectHead(input.head, preprocess.output)
  const outputs = outputSignatures(task, labels)
  const tail = task === 'classification' ? classificationTail(labels ?? [], input.head.probabilities) : regressionTail()
  const graphParts = [preprocess.graph, head, tail]
  const opsets = mergeOpsets({ '': input.opset ?? 17 }, ...graphParts.map((g) => g.opsets))
  const nodes = graphParts.flatMap((g) => g.nodes)
  const initializers = graphParts.flatMap((g) => g.initializers)
  checkNames(preprocess.inputs, outputs, nodes, initializers)

  const metadata = modelMetadataSchema.parse({
    ...input.metadata,
    task,
    ...(labels ? { labels } : {}),
    features: preprocess.features,
    inputs: preprocess.inputs,
    outputs,
  })
  const model = onnx.ModelProto.create({
    irVersion: 8,
    producerName: 'pipewright',
    opsetImport: Object.entries(opsets).map(([domain, version]) => ({ domain, version })),
    metadataProps: [{ key: metadataKey, value: JSON.stringify(metadata) }],
    graph: onnx.GraphProto.create({
      name: metadata.algorithm,
      node: nodes,
      initializer: initializers,
      input: preprocess.inputs.map(valueInfo),
      output: outputs.map(valueInfo),
    }),
  })
  return { bytes: onnx.ModelProto.encode(model).finish(), inputs: preprocess.inputs, outputs, metadata }
}

/** The model metadata stored in a model file, or undefined when it has none. */
function checkLabels(labels: readonly string[] | undefined): string[] {
  if (!labels || labels.length < 2) throw new Error('a classification model needs at least two labels')
  if (new Set(labels).size !== labels.length) throw new Error('class labels must be distinct')
  return [...labels]
}

/** The head reads the preprocessing's output and writes an inner `scores`; its own names stay. */
function connectHead(head: OnnxHead, features: string): Subgraph {
  const scores = `${outputPrefix}/scores`
  const rename = (name: string) => (name === headInput ? features : name === headOutput ? scores : name)
  return {
    opsets: { ...head.opsets },
    initializers: head.initializers,
    nodes: head.nodes.map((n) => ({ ...n, input: (n.input ?? []).map(rename), output: (n.output ?? []).map(rename) })),
  }
}

function outputSignatures(task: ModelTask, labels: readonly string[] | undefined): TensorSignature[] {
  if (task === 'regression') return [{ name: modelOutputs.prediction, type: 'float32', shape: ['N', 1] }]
  return [
    { name: modelOutputs.label, type: 'string', shape: ['N'] },
    { name: modelOutputs.probabilities, type: 'float32', shape: ['N', labels?.length ?? 0] },
  ]
}

function classificationTail(labels: readonly string[], headGivesProbabilities: boolean): Subgraph {
  const scores = `${outputPrefix}/scores`
  const names = `${outputPrefix}/label_names`
  const index = `${outputPrefix}/argmax`
  return {
    opsets: { '': 17 },
    initializers: [stringTensor(names, [labels.length], labels)],
    nodes: [
      headGivesProbabilities
        ? node('Identity', [scores], [modelOutputs.probabilities])
        : node('Softmax', [scores], [modelOutputs.probabilities], { attributes: [attr.int('axis', 1)] }),
      // ties go to the first class, as numpy's argmax
      node('ArgMax', [modelOutputs.probabilities], [index], { attributes: [attr.int('axis', 1), attr.int('keepdims', 0)] }),
      node('Gather', [names, index], [modelOutputs.label], { attributes: [attr.int('axis', 0)] }),
    ],
  }
}

function regressionTail(): Subgraph {
  return { opsets: { '': 17 }, initializers: [], nodes: [node('Identity', [`${outputPrefix}/scores`], [modelOutputs.prediction])] }
}

/** Every tensor is written once: a column named like an output or an inner tensor is refused. */
function checkNames(inputs: readonly TensorSignature[], outputs: readonly TensorSignature[], nodes: readonly onnx.INodeProto[], initializers: readonly onnx.ITensorProto[]): void {
  const written = new Map<string, string>()
  const claim = (name: string, by: string) => {
    const earlier = written.get(name)
    if (earlier !== undefined) throw new Error(`tensor name "${name}" is used twice (${earlier} and ${by})`)
    written.set(name, by)
  }
  for (const i of inputs) claim(i.name, `input column "${i.name}"`)
  for (const t of initializers) claim(t.name ?? '', 'a constant')
  for (const n of nodes) for (const o of n.output ?? []) if (o !== '') claim(o, `the output of ${n.opType ?? 'a node'}`)
  for (const o of outputs) if (!written.has(o.name)) throw new Error(`model output "${o.name}" is never written`)
}

/** Preprocessing alone as a model (output: its features tensor), to check it against the TS twin. */
export function preprocessOnlyModel(preprocess: PreprocessGraph): Uint8Array {
  const model = onnx.ModelProto.create({
    irVersion: 8,
    producerName: 'pipewright',
    opsetImport: Object.entries(mergeOpsets({ '': 17 }, preprocess.graph.opsets)).map(([domain, version]) => ({ domain, version })),
    graph: onnx.GraphProto.create({
      name: 'preprocess',
      node: preprocess.graph.nodes,
      initializer: preprocess.graph.initializers,
      input: preprocess.inputs.map(valueInfo),
      output: [valueInfo({ name: preprocess.output, type: 'float32', shape: ['N', ...preprocess.featureShape] })],
    }),
  })
  return onnx.ModelProto.encode(model).finish()
}
