// The node's gradient-boosting trainer: a checked job in (preprocessed features, class indices or
// values), the ensemble, its per-round curve and final metrics out. Plain data only (typed arrays
// inside the trees), so the result crosses the worker boundary as it is; `treesToOnnxHead(result.model)`
// turns it into the ONNX head.
import type { EpochProgress } from '../tabular/params'
import { trainTrees, type Objective, type TreeModel } from './gbdt'
import { treesJobSchema, type TreesJob, type TreesJobInput } from './params'

export interface TreesResult {
  algorithm: 'gradient-boosting'
  task: 'classification' | 'regression'
  model: TreeModel
  /** one entry per boosting round, counted from 0 like the networks' epochs */
  curve: EpochProgress[]
  /** snake_case: rounds, tree_count, best_round (with validation), train_loss, val_loss, val_accuracy or val_r2 */
  metrics: Record<string, number>
  /** the parameters used, defaults filled in */
  params: Record<string, unknown>
}

export interface TreesTrainOptions {
  onProgress?: (progress: EpochProgress) => void
  signal?: AbortSignal
}

function objective(job: TreesJob): Objective {
  if (job.task === 'regression') return 'regression'
  return job.classes === 2 ? 'binary' : 'multiclass'
}

/** The library takes labels as float32: class indices 0…K-1, or values. */
const asFloat = (targets: Int32Array | Float32Array) => (targets instanceof Float32Array ? targets : Float32Array.from(targets))

function finalMetrics(curve: readonly EpochProgress[], model: TreeModel, validated: boolean, task: TreesResult['task']): Record<string, number> {
  const metrics: Record<string, number> = { rounds: curve.length, tree_count: model.trees.length }
  if (validated) metrics.best_round = model.bestIteration
  // the kept round: the best on validation, else the last
  const kept = curve[(validated ? model.bestIteration : curve.length) - 1]
  if (!kept) return metrics
  metrics.train_loss = kept.train_loss
  if (kept.val_loss !== undefined) metrics.val_loss = kept.val_loss
  if (kept.val_metric !== undefined) metrics[task === 'classification' ? 'val_accuracy' : 'val_r2'] = kept.val_metric
  return metrics
}

/** Trains in this thread. Throws a ZodError for a malformed job, the signal's reason when aborted. */
export async function trainTreesJob(input: TreesJobInput, options: TreesTrainOptions = {}): Promise<TreesResult> {
  const job = treesJobSchema.parse(input)
  const { trees: nTrees, maxDepth, learningRate, minSamplesLeaf, l2, subsample, patience, seed } = job.params
  const curve: EpochProgress[] = []
  const validation = job.validation ? { x: job.validation.features, y: asFloat(job.validation.targets) } : undefined
  const model = await trainTrees(job.train.features, asFloat(job.train.targets), job.featureCount, {
    objective: objective(job),
    ...(job.task === 'classification' ? { classes: job.classes } : {}),
    nTrees,
    maxDepth,
    learningRate,
    minSamplesLeaf,
    lambda: l2,
    subsample,
    seed,
    ...(validation ? { validation, patience } : {}),
    // every round: the live chart shows each one, as it shows each epoch of a network
    progressEvery: 1,
    onProgress: ({ step, ...losses }) => {
      const point = { step: step - 1, ...losses }
      curve.push(point)
      options.onProgress?.(point)
    },
    ...(options.signal ? { signal: options.signal } : {}),
  })
  return { algorithm: 'gradient-boosting', task: job.task, model, curve, metrics: finalMetrics(curve, model, validation !== undefined, job.task), params: { ...job.params } }
}
