// The gradient-boosting job a worker thread takes, checked by zod because it crosses a thread
// boundary (as tabular/params.ts does for the networks). Features arrive preprocessed — the same
// float32 vector the ONNX graph computes — as one row-major Float32Array [rows × F].
import { z } from 'zod'

const float32 = z.custom<Float32Array>((v) => v instanceof Float32Array, 'expected a Float32Array')
const int32 = z.custom<Int32Array>((v) => v instanceof Int32Array, 'expected an Int32Array of class indices')

export const treesParamsSchema = z.object({
  /** boosting rounds (the config's name, kept in the model's params); a multiclass model grows one tree per class each round */
  trees: z.number().int().min(1).max(10_000).default(100),
  maxDepth: z.number().int().min(1).max(16).default(6),
  learningRate: z.number().positive().max(1).default(0.1),
  minSamplesLeaf: z.number().int().min(1).max(1_000_000).default(20),
  /** the L2 penalty on leaf values (XGBoost's lambda) */
  l2: z.number().nonnegative().max(1e6).default(1),
  /** the share of rows each tree is grown on, drawn from the seed */
  subsample: z.number().gt(0).max(1).default(1),
  /** rounds without a better validation loss before stopping; only used with a validation set */
  patience: z.number().int().min(1).max(10_000).default(10),
  seed: z.number().int().nonnegative().max(2 ** 32 - 1).default(1),
})
export type TreesParams = z.infer<typeof treesParamsSchema>

const featureCount = z.number().int().min(1).max(100_000)
/** K trees a round: beyond this a model would take hours and megabytes per round */
export const maxTreeClasses = 1000

export const treesJobSchema = z
  .discriminatedUnion('task', [
    z.object({
      algorithm: z.literal('gradient-boosting'),
      task: z.literal('classification'),
      featureCount,
      classes: z.number().int().min(2).max(maxTreeClasses),
      train: z.object({ features: float32, targets: int32 }),
      validation: z.object({ features: float32, targets: int32 }).optional(),
      params: treesParamsSchema.prefault({}),
    }),
    z.object({
      algorithm: z.literal('gradient-boosting'),
      task: z.literal('regression'),
      featureCount,
      train: z.object({ features: float32, targets: float32 }),
      validation: z.object({ features: float32, targets: float32 }).optional(),
      params: treesParamsSchema.prefault({}),
    }),
  ])
  .superRefine((job, ctx) => {
    for (const [name, set] of Object.entries({ train: job.train, validation: job.validation })) {
      if (!set) continue
      if (set.features.length !== set.targets.length * job.featureCount)
        ctx.addIssue({ code: 'custom', path: [name], message: `${name}: ${set.features.length} feature values are not ${set.targets.length} rows × ${job.featureCount} features` })
      if (job.task === 'classification' && set.targets.some((t) => t < 0 || t >= job.classes))
        ctx.addIssue({ code: 'custom', path: [name, 'targets'], message: `${name}: class indices must lie in 0…${job.classes - 1}` })
    }
    if (job.train.targets.length === 0) ctx.addIssue({ code: 'custom', path: ['train'], message: 'train: no rows' })
  })

export type TreesJobInput = z.input<typeof treesJobSchema>
export type TreesJob = z.output<typeof treesJobSchema>
