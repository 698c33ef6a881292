import { z } from 'zod'
import { defineNode } from '../contract'

/** The three sides, in the order they are filled and reported. */
export const splitSides = ['train', 'validation', 'test'] as const
export type SplitSide = (typeof splitSides)[number]

export const splitMethods = ['random', 'stratified', 'grouped', 'time'] as const
export type SplitMethod = (typeof splitMethods)[number]

/** How far the ratios' sum may stray from 1 (floating-point slack, e.g. 0.7 + 0.2 + 0.1). */
export const ratioTolerance = 1e-9

export const defaultRatios = { train: 0.7, validation: 0.15, test: 0.15 } as const

const ratio = (side: SplitSide) =>
  z
    .number()
    .min(0, { error: `the ${side} ratio must be between 0 and 1` })
    .max(1, { error: `the ${side} ratio must be between 0 and 1` })
    .default(defaultRatios[side])

// `column: true` tells the config form to offer the upstream dataset's column names (as validate does)
const column = (what: string) => z.string().min(1).describe(what).meta({ column: true }).optional()

export const splitConfig = z
  .strictObject({
    ratios: z
      .strictObject({
        train: ratio('train').describe('Share of the rows for training, 0 to 1'),
        validation: ratio('validation').describe('Share of the rows for validation, 0 to 1 (0: an empty validation set)'),
        test: ratio('test').describe('Share of the rows for the final test, 0 to 1 (0: an empty test set)'),
      })
      .default(defaultRatios)
      .superRefine((ratios, ctx) => {
        const sum = ratios.train + ratios.validation + ratios.test
        if (Math.abs(sum - 1) > ratioTolerance) {
          ctx.addIssue({
            code: 'custom',
            message: `the ratios must add up to 1; train ${ratios.train} + validation ${ratios.validation} + test ${ratios.test} = ${Number(sum.toFixed(12))}`,
          })
        }
      })
      .describe('How the rows are shared out; the three must add up to 1'),
    stratifyBy: column(
      'A label column: every label is shared out in the ratios (a rare class lands on every side). NULL labels are a label of their own',
    ),
    groupBy: column(
      'A group column (patient, device, session): all rows of a group land on the same side, so nothing leaks between sides. NULLs are one group',
    ),
    timeColumn: column(
      'A date, timestamp or number column: the newest rows are the test set, the next newest validation, the rest train. Rows without a time go to train',
    ),
    seed: z.int().default(42).describe('The same input and seed always give the same split; another seed gives another'),
  })
  .superRefine((config, ctx) => {
    if (config.stratifyBy !== undefined && (config.groupBy !== undefined || config.timeColumn !== undefined)) {
      const other = config.groupBy !== undefined ? 'groupBy' : 'timeColumn'
      ctx.addIssue({
        code: 'custom',
        path: ['stratifyBy'],
        message: `stratifyBy cannot be combined with ${other}: a stratified split shares out single rows, which would break up groups or time order. Use stratifyBy alone, or ${other} alone`,
      })
    }
    if (config.groupBy !== undefined && config.timeColumn !== undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['timeColumn'],
        message: 'give groupBy or timeColumn, not both: a split either keeps groups together or follows time',
      })
    }
  })
export type SplitConfig = z.output<typeof splitConfig>

const count = z.number().int().nonnegative()
const perSide = <T extends z.ZodType>(value: T) => z.object({ train: value, validation: value, test: value })

/** The JSON the `report` port carries. */
export const splitReport = z.object({
  method: z.enum(splitMethods),
  seed: z.number().int(),
  ratios: perSide(z.number()),
  totalRows: count,
  /** each side's rows and their share of all rows (0 when the input is empty) */
  sides: perSide(z.object({ rows: count, share: z.number() })),
  /**
   * Rows per label and side: the stratify column, or else a column named `label` (image datasets);
   * null when there is neither. The most frequent labels first, at most `labelLimit` of them.
   */
  labels: z
    .object({
      column: z.string(),
      /** how many distinct labels there are (NULL counts as one) */
      distinct: count,
      /** true when `counts` lists only the most frequent labels */
      truncated: z.boolean(),
      counts: z.array(z.object({ value: z.json(), train: count, validation: count, test: count })),
    })
    .nullable(),
  /** grouped splits: the groups on each side */
  groups: z.object({ column: z.string(), ...perSide(count).shape }).nullable(),
  /** time splits: rows without a time (they went to train) and the times each side spans */
  time: z
    .object({
      column: z.string(),
      nullRows: count,
      ranges: perSide(z.object({ from: z.json(), to: z.json() }).nullable()),
    })
    .nullable(),
})
export type SplitReport = z.infer<typeof splitReport>

/** At most this many labels are listed in the report (a stratify column of ids would list a million). */
export const labelLimit = 200

export const split = defineNode({
  kind: 'split',
  version: 1,
  ports: { in: { dataset: 'dataset' }, out: { train: 'dataset', validation: 'dataset', test: 'dataset', report: 'report' } },
  config: splitConfig,
  ui: {
    title: 'Split',
    category: 'data',
    icon: 'split',
    aliases: ['train test split', 'holdout', 'validation set', 'stratify', 'group k', 'time split', 'partition'],
    description:
      'Shares rows out into train, validation and test sets: at random, stratified by a label, keeping groups together, or by time. The same seed gives the same split.',
  },
  retry: { attempts: 1, backoffMs: 0 },
})
