// Built-in tabular training: the train (and validation) table → preprocessing fitted on train →
// a TensorFlow.js network or ridge in a worker thread → one ONNX graph with the preprocessing in
// front of the learned head, and its metadata.
import { StepError, type CurvePoint, type InputArtifact } from '../contract'
import type { DuckSession } from '../_lib/duckdb'
import type { ModelMetadata } from '../_lib/models/metadata'
import { referenceProfile } from '../_lib/models/reference-profile'
import { profileParquet } from '../_lib/parquet'
import type { BuiltinTrainer } from './definition'
import { assembleModel, type AssembledModel } from './onnx/assemble'
import { featureWidth, fitTabularPreprocess, fittedFeatures, preprocessRows, tabularPreprocessGraph } from './onnx/tabular-preprocess'
import { distinctLabelCount, readTrainingRows, tableSpec, type TableSpec, type TrainingRows } from './tabular-data'
import { denseHead } from './tabular/onnx-export'
import type { EpochProgress, TabularAlgorithm, TabularJobInput } from './tabular/params'
import { trainInWorker } from './worker/train-in-worker'

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
  const algorithm = tabularAlgorithm(trainer.algorithm, spec.task)
  const job = trainingJob(algorithm, trainer, seed, featureWidth(fitted), trainRows, validationRows && validationRows.rows.length > 0 ? validationRows : undefined, fitted)
  const epochs = trainer.epochs
  const result = await trainInWorker(job, {
    signal: ctx.signal,
    log: (message) => ctx.log('info', message),
    onProgress: (progress) => {
      const point = chartPoint(progress, spec.task)
      ctx.curve(point)
      const of = epochs ?? point.step
      ctx.progress(0.1 + 0.8 * Math.min(1, point.step / Math.max(1, of)), `Epoch ${point.step}${epochs ? ` of ${epochs}` : ''}: loss ${progress.train_loss.toPrecision(4)}`)
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
    head: denseHead(result.weights, 'dense/'),
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
  fitted: ReturnType<typeof fitTabularPreprocess>,
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
