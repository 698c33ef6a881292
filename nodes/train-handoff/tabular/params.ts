// The training job a tabular trainer takes, checked by zod because it crosses a thread boundary.
// Features arrive preprocessed (standardised, no NaN) as one row-major Float32Array [rows × F].
import { z } from 'zod'

export const classifierAlgorithms = ['logistic-regression', 'mlp-classifier'] as const
export const regressorAlgorithms = ['ridge', 'mlp-regressor'] as const
export type TabularAlgorithm = (typeof classifierAlgorithms)[number] | (typeof regressorAlgorithms)[number]

const seed = z.number().int().nonnegative().max(2 ** 32 - 1).default(1)
const epochs = z.number().int().min(1).max(10_000)
const batchSize = z.number().int().min(1).max(1_000_000).default(128)
const learningRate = z.number().positive().max(10)
const l2 = z.number().nonnegative().max(1e6)
/** epochs without a better validation loss before stopping; only used with a validation set */
const patience = z.number().int().min(1).max(10_000).default(10)
const hiddenLayers = z.array(z.number().int().min(1).max(4096)).max(16).default([64])
const dropout = z.number().min(0).max(0.9).default(0)

export const logisticParamsSchema = z.object({ epochs: epochs.default(100), batchSize, learningRate: learningRate.default(0.05), l2: l2.default(1e-4), patience, seed })
export const mlpParamsSchema = z.object({ epochs: epochs.default(50), batchSize, learningRate: learningRate.default(0.01), l2: l2.default(1e-5), hiddenLayers, dropout, patience, seed })
/** closed form; `l2` is the penalty on the squared weights (not on the intercept) */
export const ridgeParamsSchema = z.object({ l2: l2.default(1) })

export type LogisticParams = z.infer<typeof logisticParamsSchema>
export type MlpParams = z.infer<typeof mlpParamsSchema>
export type RidgeParams = z.infer<typeof ridgeParamsSchema>

// z.custom rather than z.instanceof: arrays on a SharedArrayBuffer are welcome too
const float32 = z.custom<Float32Array>((v) => v instanceof Float32Array, 'expected a Float32Array')
const int32 = z.custom<Int32Array>((v) => v instanceof Int32Array, 'expected an Int32Array of class indices')
const classSet = z.object({ features: float32, targets: int32 })
const valueSet = z.object({ features: float32, targets: float32 })
export type ClassSet = z.infer<typeof classSet>
export type ValueSet = z.infer<typeof valueSet>

const featureCount = z.number().int().min(1).max(100_000)
const classes = z.number().int().min(2).max(10_000)

export const tabularJobSchema = z
  .discriminatedUnion('algorithm', [
    z.object({ algorithm: z.literal('logistic-regression'), featureCount, classes, train: classSet, validation: classSet.optional(), params: logisticParamsSchema.prefault({}) }),
    z.object({ algorithm: z.literal('mlp-classifier'), featureCount, classes, train: classSet, validation: classSet.optional(), params: mlpParamsSchema.prefault({}) }),
    z.object({ algorithm: z.literal('ridge'), featureCount, train: valueSet, validation: valueSet.optional(), params: ridgeParamsSchema.prefault({}) }),
    z.object({ algorithm: z.literal('mlp-regressor'), featureCount, train: valueSet, validation: valueSet.optional(), params: mlpParamsSchema.prefault({}) }),
  ])
  .superRefine((job, ctx) => {
    const sets = { train: job.train, validation: job.validation }
    for (const [name, set] of Object.entries(sets)) {
      if (!set) continue
      if (set.features.length !== set.targets.length * job.featureCount)
        ctx.addIssue({ code: 'custom', path: [name], message: `${name}: ${set.features.length} feature values are not ${set.targets.length} rows × ${job.featureCount} features` })
      if ('classes' in job && set.targets.some((t) => t < 0 || t >= job.classes))
        ctx.addIssue({ code: 'custom', path: [name, 'targets'], message: `${name}: class indices must lie in 0…${job.classes - 1}` })
    }
    if (job.train.targets.length === 0) ctx.addIssue({ code: 'custom', path: ['train'], message: 'train: no rows' })
  })

/** What callers write (params optional, defaults filled in) and what trainers get. */
export type TabularJobInput = z.input<typeof tabularJobSchema>
export type TabularJob = z.output<typeof tabularJobSchema>

/** One entry per epoch: the model metadata's `trainingCurve` row. `val_metric` is accuracy or R². */
export interface EpochProgress {
  step: number
  train_loss: number
  val_loss?: number
  val_metric?: number
}

/** Anything with `aborted`: an AbortSignal, or a flag a worker reads from shared memory. */
export interface CancelFlag {
  readonly aborted: boolean
}

export interface TrainOptions {
  onProgress?: (progress: EpochProgress) => void
  signal?: CancelFlag
  log?: (message: string) => void
}
