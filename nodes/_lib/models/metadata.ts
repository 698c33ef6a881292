// What travels with every ONNX model: its signature, what it predicts, the raw features it takes
// and the training data's reference profile. Browser-safe (zod only): the model card, the
// in-browser preview, serving and the edge agent all read the same shape.
import { z } from 'zod'

export const modelTasks = ['classification', 'regression'] as const
export type ModelTask = (typeof modelTasks)[number]

/** ONNX tensor element types Pipewright reads and writes, by their ONNX names in lower case. */
export const tensorTypes = ['float32', 'float64', 'int64', 'int32', 'uint8', 'string', 'bool'] as const
export type TensorType = (typeof tensorTypes)[number]

/** A dimension is a size, or a name for a dynamic one (the batch: "N"). */
export const dimensionSchema = z.union([z.number().int().nonnegative(), z.string().min(1).max(64)])

export const tensorSignatureSchema = z.object({
  name: z.string().min(1).max(256),
  type: z.enum(tensorTypes),
  shape: z.array(dimensionSchema).max(8),
})
export type TensorSignature = z.infer<typeof tensorSignatureSchema>

/**
 * A raw input the model expects, by the dataset column it comes from. Tabular models take one ONNX
 * input per feature, named as the column, shaped [N, 1] (float32 for numbers, string for
 * categories), so a record `{ "<column>": value }` maps onto the graph without a schema of its own.
 * Image models take one input `image`: uint8 RGB pixels [N, H, W, 3] at any H and W (resized inside).
 */
export const featureSchema = z.discriminatedUnion('kind', [
  z.object({ name: z.string().min(1).max(256), kind: z.literal('number') }),
  z.object({ name: z.string().min(1).max(256), kind: z.literal('category'), categories: z.array(z.string().max(1000)).max(10_000) }),
  z.object({ name: z.string().min(1).max(256), kind: z.literal('image'), width: z.number().int().positive(), height: z.number().int().positive() }),
])
export type Feature = z.infer<typeof featureSchema>

/** Per feature, what the training data looked like: for drift checks and the fail-safe's range rule. */
export const featureProfileSchema = z.discriminatedUnion('kind', [
  z.object({
    name: z.string(),
    kind: z.literal('number'),
    count: z.number().int().nonnegative(),
    nulls: z.number().int().nonnegative(),
    min: z.number(),
    max: z.number(),
    mean: z.number(),
    std: z.number(),
    /** equal-width bins: edges has one more entry than counts */
    histogram: z.object({ edges: z.array(z.number()), counts: z.array(z.number().int().nonnegative()) }),
  }),
  z.object({
    name: z.string(),
    kind: z.literal('category'),
    count: z.number().int().nonnegative(),
    nulls: z.number().int().nonnegative(),
    categories: z.array(z.object({ value: z.string(), count: z.number().int().nonnegative() })),
  }),
  z.object({
    name: z.string(),
    kind: z.literal('image'),
    count: z.number().int().nonnegative(),
    /** mean RGB level 0…255 per channel and its spread across images */
    meanLevel: z.tuple([z.number(), z.number(), z.number()]),
    stdLevel: z.tuple([z.number(), z.number(), z.number()]),
  }),
])
export type FeatureProfile = z.infer<typeof featureProfileSchema>

export const modelMetadataSchema = z.object({
  task: z.enum(modelTasks),
  /** the dataset column the model predicts */
  label: z.string().min(1).max(256),
  /** classification: class names in the order of the probabilities output */
  labels: z.array(z.string().max(1000)).max(10_000).optional(),
  features: z.array(featureSchema).max(10_000),
  inputs: z.array(tensorSignatureSchema).min(1),
  outputs: z.array(tensorSignatureSchema).min(1),
  referenceProfile: z.array(featureProfileSchema).optional(),
  /** e.g. "logistic-regression", "imported" */
  algorithm: z.string().max(100),
  params: z.record(z.string(), z.unknown()).optional(),
  /** final metrics of training, snake_case (`train_loss`, `val_accuracy`) */
  metrics: z.record(z.string(), z.number()).optional(),
  /** one entry per epoch (or per tree, every few trees) */
  trainingCurve: z.array(z.object({ step: z.number().int().nonnegative() }).catchall(z.number())).optional(),
})
export type ModelMetadata = z.infer<typeof modelMetadataSchema>

/**
 * The output names every model Pipewright trains has, so evaluate, serving and the preview read
 * any of them the same way: classification gives `label` (string [N]) and `probabilities`
 * (float32 [N, K], in the order of `labels`); regression gives `prediction` (float32 [N, 1]).
 */
export const modelOutputs = { label: 'label', probabilities: 'probabilities', prediction: 'prediction' } as const
