// Built-in tabular training: the train (and validation) table → preprocessing fitted on train →
// a TensorFlow.js network, ridge or gradient-boosted trees in a worker thread → one ONNX graph with the preprocessing in
// front of the learned head, and its metadata.
import { StepError, type CurvePoint, type InputArtifact } from '../contract'
import type { DuckSession } from '../_lib/duckdb'
import type { ModelMetadata, ModelTask } from '../_lib/models/metadata'
import { referenceProfile } from '../_lib/models/reference-profile'
import { profileParquet } from '../_lib/parquet'
import type { BuiltinTrainer } from './definition'
import { assembleModel, type AssembledModel } from './onnx/assemble'
import type { OnnxHead } from '../_lib/models/onnx-head'
import { featureWidth, fitTabularPreprocess, fittedFeatures, preprocessRows, tabularPreprocessGraph, type FittedTabular } from './onnx/tabular-preprocess'
import { distinctLabelCount, readTrainingRows, tableSpec, type TableSpec, type TrainingRows } from './tabular-data'
import { denseHead } from './tabular/onnx-export'
import type { EpochProgress, TabularAlgorithm, TabularJobInput } from './tabular/params'
import { treesToOnnxHead } from './trees/onnx-export'
import { maxTreeClasses, type TreesJobInput } from './trees/params'
import { trainInWorker, type WorkerTrainOptions } from './worker/train-in-worker'

export interface TabularTrainingContext {
  signal: AbortSignal
  log(level: 'info' | 'warn', message: string): void
  progress(fraction: number, message?: string): void
  curve(point: CurvePoint): void
}

export interface TrainedModel {
  model: AssembledModel
  spec: TableSpec
}

export async function trainTabularModel(
  db: DuckSession,
  inputs: { train: InputArtifact; validation?: InputArtifact },
  trainer: BuiltinTrainer,
  seed: number,
  ctx: TabularTrainingContext,
): Promise<TrainedModel> {
  const { train, validation } = inputs
  const schema = train.schema ?? []
  // counted only when the column is there: tableSpec names a missing label with the columns there are
  const distinct = schema.some((c) => c.name === trainer.label) ? await distinctLabelCount(db, train.path, trainer.label) : 0
  const spec = tableSpec(schema, trainer, distinct)
  for (const skipped of spec.skipped) ctx.log('warn', `Column ${JSON.stringify(skipped.column)} is not a feature: ${skipped.reason}.`)
  ctx.progress(0.02, `Reading ${train.rowCount ?? ''} training rows`)
  const trainRows = await readTrainingRows(db, train.path, spec)
  reportUnlabelled('training', trainRows, spec, ctx)
  if (trainRows.rows.length === 0) throw new StepError(`The training data has no row with a ${JSON.stringify(spec.label)} value.`)
  if (spec.task === 'classification' && trainRows.labels!.length < 2) {
    throw new StepError(`A classifier needs at least two classes; every training row has ${JSON.stringify(spec.label)} = ${JSON.stringify(trainRows.labels![0])}.`)
  }
  const validationRows = validation ? keepKnownClasses(await readTrainingRows(db, validation.path, spec, trainRows.labels ?? undefined), ctx) : undefined

  const fitted = fitTabularPreprocess(trainRows.rows, spec.features)
  const sets = { train: trainRows, validation: validationRows && validationRows.rows.length > 0 ? validationRows : undefined }
  const boosting = trainer.algorithm === 'gradient-boosting'
  // the networks count epochs, the trees boosting rounds; both chart one point per step
  const planned = boosting ? (trainer.trees ?? 100) : trainer.epochs
  const unit = boosting ? 'Round' : 'Epoch'
  const result = await trainHead(trainer, spec.task, seed, fitted, sets, {
    signal: ctx.signal,
    log: (message) => ctx.log('info', message),
    onProgress: (progress) => {
      const point = chartPoint(progress, spec.task)
      ctx.curve(point)
      const of = planned ?? point.step
      ctx.progress(0.1 + 0.8 * Math.min(1, point.step / Math.max(1, of)), `${unit} ${point.step}${planned ? ` of ${planned}` : ''}: loss ${progress.train_loss.toPrecision(4)}`)
    },
  })
  ctx.progress(0.92, 'Writing the ONNX model')
  const features = fittedFeatures(fitted)
  const metadata: Omit<ModelMetadata, 'task' | 'labels' | 'features' | 'inputs' | 'outputs'> = {
    label: spec.label,
    algorithm: trainer.algorithm,
    params: { ...result.params, seed },
    metrics: { ...result.metrics, ...(result.metrics.best_epoch !== undefined ? { best_epoch: result.metrics.best_epoch + 1 } : {}) },
    trainingCurve: result.curve.map((p) => chartPoint(p, spec.task)),
    referenceProfile: referenceProfile(await profileParquet(train.path, { topK: 1000 }, db), features),
  }
  const model = assembleModel({
    preprocess: tabularPreprocessGraph(fitted),
    head: result.head,
    task: spec.task,
    ...(trainRows.labels ? { labels: trainRows.labels } : {}),
    metadata,
  })
  return { model, spec }
}

/**
 * The trainer counts epochs from 0; people, charts and the model card count them from 1. Its
 * `val_metric` is named for what it is: accuracy for a classifier, R² for a regressor.
 */
function chartPoint(point: EpochProgress, task: 'classification' | 'regression'): CurvePoint {
  const { step, val_metric: metric, ...losses } = point
  const named = metric === undefined ? {} : { [task === 'classification' ? 'val_accuracy' : 'val_r2']: metric }
  return { ...losses, ...named, step: step + 1 }
}

interface TrainedHead {
  head: OnnxHead
  curve: EpochProgress[]
  metrics: Record<string, number>
  params: Record<string, unknown>
}

interface TrainingSets {
  train: TrainingRows
  validation: TrainingRows | undefined
}

/** Trains in a worker thread (see worker/), so the server's event loop keeps serving meanwhile. */
async function trainHead(trainer: BuiltinTrainer, task: ModelTask, seed: number, fitted: FittedTabular, sets: TrainingSets, options: WorkerTrainOptions): Promise<TrainedHead> {
  if (trainer.algorithm === 'gradient-boosting') {
    const result = await trainInWorker(treesJob(trainer, task, seed, fitted, sets), options)
    return { head: treesToOnnxHead(result.model, { prefix: 'trees/' }), curve: result.curve, metrics: result.metrics, params: result.params }
  }
  const job = trainingJob(tabularAlgorithm(trainer.algorithm, task), trainer, seed, featureWidth(fitted), sets.train, sets.validation, fitted)
  const result = await trainInWorker(job, options)
  return { head: denseHead(result.weights, 'dense/'), curve: result.curve, metrics: result.metrics, params: result.params }
}

/**
 * The trees read the same preprocessed vector as the networks: standardising is monotonic, so it
 * changes no split, and one preprocessing graph means the ONNX file and training see the same numbers.
 */
function treesJob(trainer: BuiltinTrainer, task: ModelTask, seed: number, fitted: FittedTabular, sets: TrainingSets): TreesJobInput {
  const params = withoutUndefined({
    trees: trainer.trees,
    maxDepth: trainer.maxDepth,
    learningRate: trainer.learningRate,
    minSamplesLeaf: trainer.minSamplesLeaf,
    l2: trainer.l2,
    subsample: trainer.subsample,
    patience: trainer.patience,
    seed: seed >>> 0,
  })
  const featureCount = featureWidth(fitted)
  const features = (rows: TrainingRows) => preprocessRows(rows.rows, fitted)
  const { train, validation } = sets
  const classes = train.labels?.length ?? 0
  if (classes > maxTreeClasses) {
    throw new StepError(`Gradient boosting grows one tree per class each round; ${JSON.stringify(trainer.label)} has ${classes} classes, more than ${maxTreeClasses}. Pick another label, or train a regressor with task "regression".`)
  }
  if (task === 'classification') {
    const set = (rows: TrainingRows) => ({ features: features(rows), targets: rows.targets as Int32Array })
    return { algorithm: 'gradient-boosting', task, featureCount, classes, train: set(train), ...(validation ? { validation: set(validation) } : {}), params }
  }
  const set = (rows: TrainingRows) => ({ features: features(rows), targets: rows.targets as Float32Array })
  return { algorithm: 'gradient-boosting', task, featureCount, train: set(train), ...(validation ? { validation: set(validation) } : {}), params }
}

function withoutUndefined<T extends Record<string, unknown>>(values: T): { [K in keyof T]?: Exclude<T[K], undefined> } {
  return Object.fromEntries(Object.entries(values).filter(([, v]) => v !== undefined)) as { [K in keyof T]?: Exclude<T[K], undefined> }
}

function tabularAlgorithm(algorithm: BuiltinTrainer['algorithm'], task: 'classification' | 'regression'): TabularAlgorithm {
  if (algorithm === 'logistic-regression') return 'logistic-regression'
  if (algorithm === 'ridge') return 'ridge'
  if (algorithm === 'mlp') return task === 'classification' ? 'mlp-classifier' : 'mlp-regressor'
  throw new StepError(`${algorithm} is not a tabular network trainer.`)
}

function trainingJob(
  algorithm: TabularAlgorithm,
  trainer: BuiltinTrainer,
  seed: number,
  featureCount: number,
  train: TrainingRows,
  validation: TrainingRows | undefined,
  fitted: FittedTabular,
): TabularJobInput {
  const network = {
    ...(trainer.epochs !== undefined ? { epochs: trainer.epochs } : {}),
    ...(trainer.batchSize !== undefined ? { batchSize: trainer.batchSize } : {}),
    ...(trainer.learningRate !== undefined ? { learningRate: trainer.learningRate } : {}),
    ...(trainer.l2 !== undefined ? { l2: trainer.l2 } : {}),
    ...(trainer.patience !== undefined ? { patience: trainer.patience } : {}),
    seed: seed >>> 0,
  }
  const classSet = (rows: TrainingRows) => ({ features: preprocessRows(rows.rows, fitted), targets: rows.targets as Int32Array })
  const valueSet = (rows: TrainingRows) => ({ features: preprocessRows(rows.rows, fitted), targets: rows.targets as Float32Array })
  switch (algorithm) {
    case 'logistic-regression':
      return { algorithm, featureCount, classes: train.labels!.length, train: classSet(train), ...(validation ? { validation: classSet(validation) } : {}), params: network }
    case 'mlp-classifier':
      return { algorithm, featureCount, classes: train.labels!.length, train: classSet(train), ...(validation ? { validation: classSet(validation) } : {}), params: { ...network, ...hidden(trainer) } }
    case 'mlp-regressor':
      return { algorithm, featureCount, train: valueSet(train), ...(validation ? { validation: valueSet(validation) } : {}), params: { ...network, ...hidden(trainer) } }
    case 'ridge':
      return { algorithm, featureCount, train: valueSet(train), ...(validation ? { validation: valueSet(validation) } : {}), params: trainer.l2 !== undefined ? { l2: trainer.l2 } : {} }
  }
}

const hidden = (trainer: BuiltinTrainer) => (trainer.hiddenLayers ? { hiddenLayers: trainer.hiddenLayers } : {})

function reportUnlabelled(side: string, rows: TrainingRows, spec: TableSpec, ctx: TabularTrainingContext): void {
  if (rows.unlabelled > 0) ctx.log('warn', `${rows.unlabelled} ${side} rows have no ${JSON.stringify(spec.label)} and were left out.`)
}

/** Validation rows of a class the training data never had cannot be scored against it: left out, and said so. */
function keepKnownClasses(rows: TrainingRows, ctx: TabularTrainingContext): TrainingRows {
  if (!(rows.targets instanceof Int32Array)) return rows
  const keep = [...rows.targets.keys()].filter((i) => rows.targets[i]! >= 0)
  if (keep.length === rows.targets.length) return rows
  ctx.log('warn', `${rows.targets.length - keep.length} validation rows have a class the training data does not have and were left out of early stopping.`)
  return { ...rows, rows: keep.map((i) => rows.rows[i]!), targets: Int32Array.from(keep, (i) => rows.targets[i]!) }
}
