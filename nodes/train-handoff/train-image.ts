// Built-in image training: the train (and validation) image dataset → decoded, resized and
// normalised tensors (image-data.ts) → the CNN in a worker thread → one ONNX graph that takes raw
// uint8 RGB images at any size, resizes and normalises them inside, and runs the CNN head.
import { StepError, type InputArtifact } from '../contract'
import type { DuckSession } from '../_lib/duckdb'
import type { ModelMetadata } from '../_lib/models/metadata'
import type { BuiltinTrainer } from './definition'
import { checkImageDataset, fitNormalisation, imageProfile, loadImageTensors, normalise, readImageRows, type ImageRows, type ImageTensors } from './image-data'
import { cnnWeightsOnnxHead } from './image/onnx-export'
import type { CnnJobInput } from './image/cnn-params'
import { assembleModel, type AssembledModel } from './onnx/assemble'
import { imagePreprocessGraph } from './onnx/image-preprocess'
import type { TabularTrainingContext } from './train-tabular'
import { trainInWorker } from './worker/train-in-worker'

export const defaultImageSize = 32
const defaultEpochs = 20

export interface ImageTrainingContext extends TabularTrainingContext {
  readBlob(id: string): Promise<Buffer>
}

export interface TrainedImageModel {
  model: AssembledModel
  images: number
  secondsPerEpoch: number
}

export async function trainImageModel(
  db: DuckSession,
  inputs: { train: InputArtifact; validation?: InputArtifact },
  trainer: BuiltinTrainer,
  seed: number,
  ctx: ImageTrainingContext,
): Promise<TrainedImageModel> {
  const { train, validation } = inputs
  const size = trainer.imageSize ?? defaultImageSize
  checkImageDataset(train.schema ?? [], trainer.label, 'training')
  if (validation) checkImageDataset(validation.schema ?? [], trainer.label, 'validation')
  const trainRows = await readImageRows(db, train.path, trainer.label)
  if (trainRows.unlabelled > 0) ctx.log('warn', `${trainRows.unlabelled} training rows have no image or no ${JSON.stringify(trainer.label)} and are left out.`)
  if (trainRows.ids.length === 0) throw new StepError(`The training data has no row with an image and a ${JSON.stringify(trainer.label)} value.`)
  if (trainRows.labels.length < 2) {
    throw new StepError(`A classifier needs at least two classes; every training image has ${JSON.stringify(trainer.label)} = ${JSON.stringify(trainRows.labels[0])}.`)
  }
  const validationRows = validation ? knownClassesOnly(await readImageRows(db, validation.path, trainer.label, trainRows.labels), ctx) : undefined

  const total = trainRows.ids.length + (validationRows?.ids.length ?? 0)
  const load = (rows: ImageRows, before: number) =>
    loadImageTensors(rows.ids, size, {
      readBlob: ctx.readBlob,
      signal: ctx.signal,
      onImage: (done) => {
        if ((before + done) % 25 === 0 || before + done === total) ctx.progress(0.02 + 0.08 * ((before + done) / total), `Decoding images: ${before + done} of ${total}`)
      },
    })
  const trainTensors = await load(trainRows, 0)
  const validationTensors = validationRows && validationRows.ids.length > 0 ? await load(validationRows, trainRows.ids.length) : undefined
  const fitted = fitNormalisation(trainTensors, size)
  // the profile reads the levels, which normalising leaves alone
  const profile = imageProfile(trainTensors)
  normalise(trainTensors, fitted)
  if (validationTensors) normalise(validationTensors, fitted)

  const job = cnnJob(trainer, seed, size, trainRows, trainTensors, validationRows, validationTensors)
  const planned = trainer.epochs ?? defaultEpochs
  const result = await trainInWorker(job, {
    signal: ctx.signal,
    log: (message) => ctx.log('info', message),
    onProgress: (p) => {
      const step = p.step + 1
      ctx.curve({ step, train_loss: p.train_loss, ...(p.val_loss !== undefined ? { val_loss: p.val_loss } : {}), ...(p.val_metric !== undefined ? { val_accuracy: p.val_metric } : {}) })
      ctx.progress(0.1 + 0.8 * Math.min(1, step / planned), `Epoch ${step} of ${planned}: loss ${p.train_loss.toPrecision(4)}`)
    },
  })
  ctx.progress(0.92, 'Writing the ONNX model')
  const metadata: Omit<ModelMetadata, 'task' | 'labels' | 'features' | 'inputs' | 'outputs'> = {
    label: trainer.label,
    algorithm: 'cnn',
    params: { ...result.params, imageSize: size, seed },
    metrics: { ...result.metrics, ...(result.metrics.best_epoch !== undefined ? { best_epoch: result.metrics.best_epoch + 1 } : {}) },
    trainingCurve: result.curve.map((p) => ({
      step: p.step + 1,
      train_loss: p.train_loss,
      ...(p.val_loss !== undefined ? { val_loss: p.val_loss } : {}),
      ...(p.val_metric !== undefined ? { val_accuracy: p.val_metric } : {}),
    })),
    referenceProfile: [profile],
  }
  const model = assembleModel({ preprocess: imagePreprocessGraph(fitted), head: cnnWeightsOnnxHead(result.cnn), task: 'classification', labels: trainRows.labels, metadata })
  return { model, images: trainRows.ids.length, secondsPerEpoch: result.secondsPerEpoch }
}

/** A validation class the training data never had cannot be learned; its rows are left out, said so. */
function knownClassesOnly(rows: ImageRows, ctx: ImageTrainingContext): ImageRows {
  const keep = [...rows.targets.keys()].filter((i) => rows.targets[i]! >= 0)
  const dropped = rows.ids.length - keep.length
  if (dropped > 0) ctx.log('warn', `${dropped} validation images have a class the training data does not have and are left out of early stopping.`)
  return { ...rows, ids: keep.map((i) => rows.ids[i]!), targets: Int32Array.from(keep, (i) => rows.targets[i]!) }
}

function cnnJob(trainer: BuiltinTrainer, seed: number, size: number, trainRows: ImageRows, train: ImageTensors, validationRows: ImageRows | undefined, validation: ImageTensors | undefined): CnnJobInput {
  const params = Object.fromEntries(
    Object.entries({ filters: trainer.filters, epochs: trainer.epochs ?? defaultEpochs, batchSize: trainer.batchSize, learningRate: trainer.learningRate, patience: trainer.patience, seed }).filter(([, v]) => v !== undefined),
  )
  return {
    algorithm: 'cnn',
    height: size,
    width: size,
    classes: trainRows.labels.length,
    // the tensors move to the worker: this thread does not need them again
    train: { features: train.features, targets: trainRows.targets },
    ...(validation && validationRows ? { validation: { features: validation.features, targets: validationRows.targets } } : {}),
    params,
  }
}
