import { z } from 'zod'
import { defineNode } from '../contract'
import { defectKinds } from '../_lib/images/defects'

// `column: true` tells the config form to offer the upstream dataset's column names
const column = z.string().min(1).describe('Column name, exactly as in the dataset').meta({ column: true })
const probability = z.number().min(0).max(1).default(0.5).describe('How often the operation is applied to a new image (0 to 1)')
const seed = z.number().int().min(0).max(2 ** 31 - 1).default(0).describe('Same input and seed give the same output, byte for byte')

/** SMOTE's neighbour search runs in memory: a class with more usable rows than this is refused. */
export const smoteRowLimit = 100_000

export const tabularConfig = z
  .strictObject({
    mode: z.literal('tabular').describe('Rows of a table: oversampling or SMOTE for minority classes'),
    labelColumn: column.describe('The column holding each row’s class'),
    classes: z.array(z.string().min(1)).min(1).describe('The minority classes to grow, as their values read as text'),
    ratio: z
      .number()
      .positive()
      .max(1)
      .default(1)
      .describe('Each chosen class grows to this fraction of the largest class’s row count (1 = as many rows as the largest)'),
    method: z
      .enum(['smote', 'oversample'])
      .default('smote')
      .describe("'smote' makes new points between a row and one of its nearest same-class neighbours; 'oversample' repeats random rows"),
    features: z
      .array(column)
      .default([])
      .describe('Numeric columns SMOTE measures distances on and interpolates; other columns are copied from the seed row'),
    k: z.number().int().min(1).max(50).default(5).describe('SMOTE: how many nearest same-class neighbours a new point may lie towards'),
    noise: z
      .strictObject({
        columns: z.array(column).min(1).describe('Numeric columns that get gaussian noise on the new rows'),
        sigma: z.number().positive().max(10).default(0.05).describe('The noise’s standard deviation, as a fraction of the column’s'),
      })
      .optional()
      .describe('Gaussian noise on the new rows only; input rows stay as they are'),
    seed,
  })
  .describe('Table (SMOTE, oversampling)')
  .refine((c) => c.method !== 'smote' || c.features.length > 0, { message: 'SMOTE needs at least one numeric feature column', path: ['features'] })
export type TabularConfig = z.output<typeof tabularConfig>

export const imageOp = z.discriminatedUnion('op', [
  z.strictObject({ op: z.literal('flip_h').describe('Mirror left to right'), p: probability }).describe('Flip horizontally'),
  z.strictObject({ op: z.literal('flip_v').describe('Mirror top to bottom'), p: probability }).describe('Flip vertically'),
  z
    .strictObject({
      op: z.literal('rotate_90').describe('Turn by a right angle; a non-square image is resized back to its declared size'),
      p: probability,
      angles: z.array(z.union([z.literal(90), z.literal(180), z.literal(270)])).min(1).default([90, 180, 270]).describe('Angles to pick from, clockwise'),
    })
    .describe('Rotate by 90°, 180° or 270°'),
  z
    .strictObject({
      op: z.literal('rotate').describe('Turn by a small angle about the centre; corners left empty are black'),
      p: probability,
      maxDegrees: z.number().positive().max(45).default(10).describe('The angle is drawn from [−max, max] degrees'),
    })
    .describe('Rotate by a small angle'),
  z
    .strictObject({
      op: z.literal('brightness').describe('Multiply every pixel by a factor'),
      p: probability,
      min: z.number().positive().max(4).default(0.8).describe('Smallest factor'),
      max: z.number().positive().max(4).default(1.2).describe('Largest factor'),
    })
    .refine((o) => o.min <= o.max, { message: 'min must not be larger than max', path: ['max'] })
    .describe('Brightness'),
  z
    .strictObject({
      op: z.literal('contrast').describe('Stretch or squeeze pixel values about the image’s mean'),
      p: probability,
      min: z.number().positive().max(4).default(0.8).describe('Smallest factor'),
      max: z.number().positive().max(4).default(1.2).describe('Largest factor'),
    })
    .refine((o) => o.min <= o.max, { message: 'min must not be larger than max', path: ['max'] })
    .describe('Contrast'),
  z
    .strictObject({
      op: z.literal('blur').describe('Gaussian blur'),
      p: probability,
      minSigma: z.number().min(0.3).max(20).default(0.5).describe('Smallest blur radius (sigma, pixels)'),
      maxSigma: z.number().min(0.3).max(20).default(1.5).describe('Largest blur radius (sigma, pixels)'),
    })
    .refine((o) => o.minSigma <= o.maxSigma, { message: 'minSigma must not be larger than maxSigma', path: ['maxSigma'] })
    .describe('Blur'),
  z
    .strictObject({
      op: z.literal('noise').describe('Gaussian sensor noise on every pixel and channel'),
      p: probability,
      minSigma: z.number().min(0).max(128).default(2).describe('Smallest standard deviation, in pixel levels (0–255)'),
      maxSigma: z.number().min(0).max(128).default(8).describe('Largest standard deviation, in pixel levels (0–255)'),
    })
    .refine((o) => o.minSigma <= o.maxSigma, { message: 'minSigma must not be larger than maxSigma', path: ['maxSigma'] })
    .describe('Noise'),
  z
    .strictObject({
      op: z.literal('crop').describe('Cut a random window and resize it back to the declared size; boxes are clipped to it'),
      p: probability,
      minScale: z.number().min(0.1).max(1).default(0.7).describe('Smallest window side, as a fraction of the image side'),
      maxScale: z.number().min(0.1).max(1).default(0.95).describe('Largest window side, as a fraction of the image side'),
    })
    .refine((o) => o.minScale <= o.maxScale, { message: 'minScale must not be larger than maxScale', path: ['maxScale'] })
    .describe('Random crop and resize'),
])
export type ImageOp = z.output<typeof imageOp>
export type ImageOpName = ImageOp['op']

export const imagesConfig = z
  .strictObject({
    mode: z.literal('images').describe('An image dataset: flips, rotations, colour, blur, noise, crops and painted defects'),
    labels: z.array(z.string().min(1)).default([]).describe('Labels whose images get augmented copies; empty means every label'),
    copies: z.number().int().min(0).max(50).default(1).describe('New images made from each input image of those labels'),
    targetPerLabel: z
      .number()
      .int()
      .min(1)
      .max(1_000_000)
      .optional()
      .describe('Instead of a fixed number of copies: grow each of those labels to this many images'),
    ops: z.array(imageOp).default([]).describe('Applied in this order, each with its own probability; every copy gets at least one'),
    defects: z
      .strictObject({
        goodLabel: z.string().min(1).describe('Images with this label get a painted defect'),
        kinds: z.array(z.enum(defectKinds)).min(1).default(['scratch', 'dust', 'smudge']).describe('Defects to pick from; each becomes the new image’s label and box label'),
        perImage: z.number().int().min(1).max(20).default(1).describe('Defect images made from each good image'),
      })
      .optional()
      .describe('Synthetic defect injection: paint scratches, dust or smudges onto good images'),
    seed,
  })
  .describe('Images (flips, rotations, crops, defects)')
  .refine((c) => c.ops.length > 0 || c.defects !== undefined, { message: 'give at least one operation or defects', path: ['ops'] })
export type ImagesConfig = z.output<typeof imagesConfig>

export const augmentConfig = z.discriminatedUnion('mode', [tabularConfig, imagesConfig])
export type AugmentConfig = z.output<typeof augmentConfig>

/** Columns every output row carries besides the input's (an input's own are replaced). */
export const lineageColumns = {
  /** BIGINT: the 1-based position of the input row a row came from; an input row names itself */
  sourceRow: '_source_row',
  /** VARCHAR[]: the operations applied, e.g. ["flip_h", "brightness(1.12)"]; [] for input rows */
  ops: '_ops',
} as const

/** The JSON the `report` port carries. */
export const augmentReport = z.object({
  mode: z.enum(['tabular', 'images']),
  rowsIn: z.number().int().nonnegative(),
  rowsAdded: z.number().int().nonnegative(),
  rowsOut: z.number().int().nonnegative(),
  /** per class (tabular) or label (images), in descending order of rows before */
  classes: z.array(
    z.object({
      label: z.string(),
      before: z.number().int().nonnegative(),
      added: z.number().int().nonnegative(),
      after: z.number().int().nonnegative(),
      /** the number of rows this class was meant to reach (tabular) */
      target: z.number().int().nonnegative().optional(),
      /** rows not used as SMOTE seeds because a feature column is null or not a finite number */
      skippedSeeds: z.number().int().nonnegative().optional(),
    }),
  ),
  /** how many new rows each operation was applied to, by its name (smote, oversample, noise, flip_h, scratch …) */
  ops: z.record(z.string(), z.number().int().nonnegative()),
  /** what the user should know, in words */
  notes: z.array(z.string()),
})
export type AugmentReport = z.infer<typeof augmentReport>

export const augment = defineNode({
  kind: 'augment',
  version: 1,
  ports: { in: { dataset: 'dataset' }, out: { dataset: 'dataset', report: 'report' } },
  config: augmentConfig,
  ui: {
    title: 'Augment',
    category: 'data',
    icon: 'copy-plus',
    aliases: ['smote', 'oversample', 'imbalance', 'minority', 'flip', 'rotate', 'crop', 'synthetic', 'defects'],
    description:
      'Adds rows: SMOTE or oversampling for rare classes of a table, or flipped, rotated, recoloured and cropped copies of images and painted defects. Split first and augment only the training side.',
  },
  retry: { attempts: 1, backoffMs: 0 },
})
