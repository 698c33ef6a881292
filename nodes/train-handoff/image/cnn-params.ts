// The training job the CNN trainer takes in the worker thread, checked by zod because it crosses a
// thread boundary. No TensorFlow.js here: the main thread builds jobs and reads results.
import { z } from 'zod'
import type { EpochProgress } from '../tabular/params'
import type { CnnWeights } from './cnn-shape'

// z.custom rather than z.instanceof: arrays on a SharedArrayBuffer are welcome too
const float32 = z.custom<Float32Array>((v) => v instanceof Float32Array, 'expected a Float32Array')
const int32 = z.custom<Int32Array>((v) => v instanceof Int32Array, 'expected an Int32Array of class indices')
/** `features` NCHW float32 [count, 3, height, width], preprocessed as the ONNX graph does; `targets` class indices */
const imageSet = z.object({ features: float32, targets: int32 })

export const cnnJobSchema = z
  .object({
    algorithm: z.literal('cnn'),
    height: z.number().int().min(1).max(4096),
    width: z.number().int().min(1).max(4096),
    classes: z.number().int().min(2).max(10_000),
    train: imageSet,
    validation: imageSet.optional(),
    // the trainer's own schema (cnn.ts) fills in the defaults
    params: z.record(z.string(), z.unknown()).default({}),
  })
  .superRefine((job, ctx) => {
    const plane = 3 * job.height * job.width
    for (const [name, set] of Object.entries({ train: job.train, validation: job.validation })) {
      if (!set) continue
      if (set.features.length !== set.targets.length * plane)
        ctx.addIssue({ code: 'custom', path: [name], message: `${name}: ${set.features.length} values are not ${set.targets.length} images × 3 × ${job.height} × ${job.width}` })
      if (set.targets.some((t) => t < 0 || t >= job.classes)) ctx.addIssue({ code: 'custom', path: [name, 'targets'], message: `${name}: class indices must lie in 0…${job.classes - 1}` })
    }
    if (job.train.targets.length === 0) ctx.addIssue({ code: 'custom', path: ['train'], message: 'train: no images' })
  })

export type CnnJobInput = z.input<typeof cnnJobSchema>
export type CnnJob = z.output<typeof cnnJobSchema>

export interface CnnResult {
  algorithm: 'cnn'
  cnn: CnnWeights
  /** one entry per epoch, counted from 0 like the other trainers' (val_metric = accuracy) */
  curve: EpochProgress[]
  /** snake_case: epochs, best_epoch (0-based, as the other trainers), train_loss, val_loss, val_accuracy */
  metrics: Record<string, number>
  /** the parameters used, defaults filled in */
  params: Record<string, unknown>
  /** seconds per epoch, for the log */
  secondsPerEpoch: number
}
