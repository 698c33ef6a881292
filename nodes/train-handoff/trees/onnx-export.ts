// A trained ensemble as an ai.onnx.ml TreeEnsembleRegressor reading `features` [N, F] and writing
// `scores`: regression [N, 1] the value; multiclass [N, K] logits; binary [N, 2] margins [0, m], so
// the assembler's Softmax gives [1 - sigmoid(m), sigmoid(m)]. `probabilities` is false throughout.
// Missing values go to the true (x <= threshold) branch, as in training.
import { onnx } from '../../_lib/models/onnx'
import { headInput, headOutput, type OnnxHead } from '@/nodes/_lib/models/onnx-head'
import type { TreeModel } from './gbdt'

type Attr = onnx.IAttributeProto
const ints = (name: string, values: number[]): Attr => ({ name, type: onnx.AttributeProto.AttributeType.INTS, ints: values })
const floats = (name: string, values: number[]): Attr => ({ name, type: onnx.AttributeProto.AttributeType.FLOATS, floats: values })
const strings = (name: string, values: string[]): Attr => ({ name, type: onnx.AttributeProto.AttributeType.STRINGS, strings: values.map((s) => new TextEncoder().encode(s)) })

export function treesToOnnxHead(model: TreeModel, { prefix }: { prefix: string }): OnnxHead {
  const binary = model.objective === 'binary'
  const targets = binary ? 2 : model.outputs
  const n = { treeIds: [] as number[], nodeIds: [] as number[], featureIds: [] as number[], values: [] as number[], modes: [] as string[], trueIds: [] as number[], falseIds: [] as number[], missingTrue: [] as number[] }
  const t = { treeIds: [] as number[], nodeIds: [] as number[], ids: [] as number[], weights: [] as number[] }
  model.trees.forEach((tree, ti) => {
    const target = binary ? 1 : model.treeOutput[ti]!
    for (let i = 0; i < tree.feature.length; i++) {
      const leaf = tree.feature[i]! < 0
      n.treeIds.push(ti), n.nodeIds.push(i)
      n.featureIds.push(leaf ? 0 : tree.feature[i]!)
      n.values.push(leaf ? 0 : tree.threshold[i]!)
      n.modes.push(leaf ? 'LEAF' : 'BRANCH_LEQ')
      n.trueIds.push(leaf ? 0 : tree.left[i]!), n.falseIds.push(leaf ? 0 : tree.right[i]!)
      n.missingTrue.push(leaf ? 0 : 1)
      if (leaf) t.treeIds.push(ti), t.nodeIds.push(i), t.ids.push(target), t.weights.push(tree.value[i]!)
    }
  })
  const base = binary ? [0, model.baseScore[0]!] : [...model.baseScore]
  const node = onnx.NodeProto.create({
    name: `${prefix}trees`,
    opType: 'TreeEnsembleRegressor',
    domain: 'ai.onnx.ml',
    input: [headInput],
    output: [headOutput],
    attribute: [
      { name: 'n_targets', type: onnx.AttributeProto.AttributeType.INT, i: targets },
      { name: 'aggregate_function', type: onnx.AttributeProto.AttributeType.STRING, s: new TextEncoder().encode('SUM') },
      { name: 'post_transform', type: onnx.AttributeProto.AttributeType.STRING, s: new TextEncoder().encode('NONE') },
      floats('base_values', base),
      ints('nodes_treeids', n.treeIds), ints('nodes_nodeids', n.nodeIds), ints('nodes_featureids', n.featureIds),
      floats('nodes_values', n.values), strings('nodes_modes', n.modes),
      ints('nodes_truenodeids', n.trueIds), ints('nodes_falsenodeids', n.falseIds),
      ints('nodes_missing_value_tracks_true', n.missingTrue),
      ints('target_treeids', t.treeIds), ints('target_nodeids', t.nodeIds), ints('target_ids', t.ids), floats('target_weights', t.weights),
    ],
  })
  return { nodes: [node], initializers: [], opsets: { '': 17, 'ai.onnx.ml': 3 }, probabilities: false }
}
