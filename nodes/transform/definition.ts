import { z } from 'zod'
import { defineNode } from '../contract'

// `column: true` tells the config form to offer the upstream dataset's column names
const column = z
  .string()
  .min(1)
  .max(1000)
  .describe('Column name, exactly as in the dataset (spaces, brackets and quotes included)')
  .meta({ column: true })

const columnList = (what: string) =>
  z.array(z.string().min(1).max(1000).meta({ column: true })).min(1).describe(what)

const newColumn = (what: string) => z.string().min(1).max(1000).describe(what)

const scalar = z.union([z.string().max(10_000), z.number(), z.boolean()])

export const castTypes = ['integer', 'number', 'text', 'boolean', 'date', 'timestamp'] as const
export type CastType = (typeof castTypes)[number]

const onError = z
  .enum(['fail', 'null'])
  .default('fail')
  .describe("What a value that cannot be converted does: 'fail' stops the step and names the value, 'null' leaves the cell empty")

const dropStep = z
  .strictObject({
    op: z.literal('drop').describe('Removes the listed columns'),
    columns: columnList('Columns to remove'),
  })
  .describe('Drop columns')

const renameStep = z
  .strictObject({
    op: z.literal('rename').describe('Gives columns new names; all renames of one step happen at once'),
    columns: z
      .array(
        z.strictObject({
          from: column.describe('The column’s current name'),
          to: newColumn('Its new name'),
        }),
      )
      .min(1)
      .describe('Old name → new name'),
  })
  .describe('Rename columns')

const castStep = z
  .strictObject({
    op: z.literal('cast').describe('Converts columns to another type (numbers are rounded to integers)'),
    columns: columnList('Columns to convert'),
    to: z.enum(castTypes).describe('The type to convert to'),
    onError,
  })
  .describe('Change type')

export const fillStrategies = ['constant', 'mean', 'median', 'mode'] as const

const fillNullsStep = z
  .strictObject({
    op: z.literal('fill_nulls').describe('Replaces missing values (NULL) in the listed columns'),
    columns: columnList('Columns whose missing values are filled'),
    strategy: z
      .enum(fillStrategies)
      .default('constant')
      .describe("'constant' uses `value`; 'mean' and 'median' (numbers only) and 'mode' (the most frequent value) are computed from the column"),
    value: scalar.optional().describe("The value to fill in (strategy 'constant'); converted to the column's type"),
  })
  .refine((s) => s.strategy !== 'constant' || s.value !== undefined, {
    message: "give the value to fill in, or pick another strategy",
    path: ['value'],
  })
  .describe('Fill missing values')

const dedupeStep = z
  .strictObject({
    op: z.literal('dedupe').describe('Removes rows that repeat an earlier row; NULLs count as equal'),
    columns: z
      .array(z.string().min(1).max(1000).meta({ column: true }))
      .optional()
      .describe('Compare only these columns; leave empty to compare whole rows'),
    keep: z.enum(['first', 'last']).default('first').describe('Which of the repeated rows stays'),
  })
  .describe('Remove duplicates')

export const filterOperators = ['=', '!=', '<', '<=', '>', '>=', 'is null', 'is not null', 'contains', 'starts with', 'in list', 'between'] as const
export type FilterOperator = (typeof filterOperators)[number]

const comparisonCondition = (operator: '=' | '!=' | '<' | '<=' | '>' | '>=', label: string) =>
  z
    .strictObject({
      column,
      operator: z.literal(operator).describe(`The value ${label} the given value; NULLs never match`),
      value: scalar.describe('Compared with the column’s values, converted to its type'),
    })
    .describe(label)

const filterCondition = z.discriminatedUnion('operator', [
  comparisonCondition('=', 'equals'),
  comparisonCondition('!=', 'does not equal'),
  comparisonCondition('<', 'is less than'),
  comparisonCondition('<=', 'is at most'),
  comparisonCondition('>', 'is greater than'),
  comparisonCondition('>=', 'is at least'),
  z.strictObject({ column, operator: z.literal('is null').describe('The value is missing') }).describe('is missing'),
  z.strictObject({ column, operator: z.literal('is not null').describe('The value is present') }).describe('is present'),
  z
    .strictObject({
      column,
      operator: z.literal('contains').describe('The value, as text, contains the given text'),
      value: z.string().min(1).max(10_000).describe('Text to look for'),
      caseSensitive: z.boolean().default(true).describe('Whether upper and lower case must match'),
    })
    .describe('contains'),
  z
    .strictObject({
      column,
      operator: z.literal('starts with').describe('The value, as text, starts with the given text'),
      value: z.string().min(1).max(10_000).describe('Text the value starts with'),
      caseSensitive: z.boolean().default(true).describe('Whether upper and lower case must match'),
    })
    .describe('starts with'),
  z
    .strictObject({
      column,
      operator: z.literal('in list').describe('The value is one of the listed values'),
      values: z.array(scalar).min(1).describe('Allowed values, converted to the column’s type'),
    })
    .describe('is one of'),
  z
    .strictObject({
      column,
      operator: z.literal('between').describe('The value lies within [min, max], both ends included'),
      min: scalar.describe('Smallest value kept'),
      max: scalar.describe('Largest value kept'),
    })
    .describe('is between'),
])
export type FilterCondition = z.output<typeof filterCondition>

const filterStep = z
  .strictObject({
    op: z.literal('filter').describe('Keeps the rows that match the conditions'),
    combine: z.enum(['all', 'any']).default('all').describe("'all': a row must match every condition; 'any': one is enough"),
    conditions: z.array(filterCondition).min(1).describe('Conditions on column values'),
  })
  .describe('Filter rows')

const deriveStep = z
  .strictObject({
    op: z.literal('derive').describe('Computes a column from an expression; a name already in use is replaced'),
    name: newColumn('Name of the computed column'),
    expression: z
      .string()
      .min(1)
      .max(10_000)
      .describe(
        'e.g. `round(bill_length_mm / bill_depth_mm, 2)` or `lower("island name")`: columns (bare or in "double quotes"), numbers, ' +
          "'text', + - * /, comparisons, and, or, not, and the functions abs, round, floor, ceil, sqrt, ln, exp, lower, upper, trim, length, coalesce, concat, if",
      ),
  })
  .describe('Compute a column')

const oneHotStep = z
  .strictObject({
    op: z.literal('one_hot').describe('One 0/1 column per value, named column_value; a missing value is 0 everywhere'),
    column,
    maxCategories: z
      .number()
      .int()
      .min(1)
      .max(1000)
      .default(20)
      .describe('Most frequent values that get their own column; any further values share one column_other'),
    dropOriginal: z.boolean().default(true).describe('Remove the original column'),
  })
  .describe('One-hot encode')

export const binMethods = ['equal_width', 'quantile', 'edges'] as const

const binStep = z
  .strictObject({
    op: z.literal('bin').describe('Puts numbers into bins: bin 1, 2, … (or your labels); a missing value stays missing'),
    column,
    method: z
      .enum(binMethods)
      .default('equal_width')
      .describe("'equal_width': `count` equally wide bins from min to max; 'quantile': `count` bins of about equal size; 'edges': your own edges"),
    count: z.number().int().min(2).max(1000).default(4).describe("How many bins ('equal_width' and 'quantile')"),
    edges: z
      .array(z.number())
      .min(2)
      .optional()
      .describe("Bin edges, ascending ('edges'): [0, 10, 20] makes [0, 10) and [10, 20]; values outside are left missing"),
    labels: z
      .array(z.string().max(1000))
      .optional()
      .describe('Names of the bins, in order; without them the bins are numbered from 1'),
    into: z.string().min(1).max(1000).optional().describe('Column to write the bin into; default: the column’s name + "_bin"'),
  })
  .refine((s) => s.method !== 'edges' || s.edges !== undefined, { message: "give the edges, or pick another method", path: ['edges'] })
  .refine((s) => s.edges === undefined || s.edges.every((e, i, all) => i === 0 || all[i - 1]! < e), {
    message: 'edges must be in ascending order, each larger than the one before',
    path: ['edges'],
  })
  .refine((s) => s.labels === undefined || s.labels.length === binCount(s), {
    message: 'give one label per bin',
    path: ['labels'],
  })
  .describe('Bin numbers')

const scaleStep = z
  .strictObject({
    op: z.literal('scale').describe('Rescales numeric columns with statistics computed from the data'),
    columns: columnList('Numeric columns to rescale'),
    method: z
      .enum(['min_max', 'standard'])
      .default('standard')
      .describe("'min_max': to [0, 1]; 'standard': (x − mean) / standard deviation (population, as scikit-learn does)"),
  })
  .describe('Scale numbers')

const parseDateStep = z
  .strictObject({
    op: z.literal('parse_date').describe('Reads dates or timestamps from text with a strptime format'),
    column,
    format: z.string().min(1).max(200).describe('strptime format, e.g. %Y-%m-%d or %d/%m/%Y %H:%M'),
    to: z.enum(['date', 'timestamp']).default('date').describe('A date, or a date with a time of day'),
    into: z.string().min(1).max(1000).optional().describe('Column to write to; default: replace the text column'),
    onError,
  })
  .describe('Parse dates')

export const transformStep = z.discriminatedUnion('op', [
  dropStep,
  renameStep,
  castStep,
  fillNullsStep,
  dedupeStep,
  filterStep,
  deriveStep,
  oneHotStep,
  binStep,
  scaleStep,
  parseDateStep,
])
export type TransformStep = z.output<typeof transformStep>
export type TransformOp = TransformStep['op']
export type StepOf<O extends TransformOp> = Extract<TransformStep, { op: O }>

/** How many bins a bin step makes. */
export function binCount(step: { method: string; count: number; edges?: number[] | undefined }): number {
  return step.method === 'edges' ? Math.max(0, (step.edges?.length ?? 0) - 1) : step.count
}

/** What a query in SQL mode may use, in the words the node panel and the errors show. */
export const sandboxRules =
  'One SELECT (or WITH … SELECT) over the table `input`. Files, network access, ATTACH, COPY, SET, INSTALL/LOAD and extensions are switched off.'

export const transformConfig = z
  .strictObject({
    steps: z.array(transformStep).max(200).default([]).describe('Applied in order, each to the result of the one before'),
    sql: z
      .string()
      .min(1)
      .max(100_000)
      .optional()
      .describe('Advanced: one SELECT over the table `input` instead of steps. It runs with files, network and extensions switched off.')
      .meta({ multiline: true, code: true }),
  })
  .refine((c) => c.sql === undefined || c.steps.length === 0, {
    message: 'use steps or SQL, not both: remove the steps to run the SQL',
    path: ['sql'],
  })
export type TransformConfig = z.output<typeof transformConfig>

export const transform = defineNode({
  kind: 'transform',
  version: 1,
  ports: { in: { dataset: 'dataset' }, out: { dataset: 'dataset' } },
  config: transformConfig,
  ui: {
    title: 'Transform',
    category: 'data',
    icon: 'wand-sparkles',
    aliases: ['clean', 'prepare', 'rename', 'cast', 'fill', 'impute', 'dedupe', 'filter', 'derive', 'one-hot', 'bin', 'scale', 'normalize', 'sql', 'date'],
    description:
      'Cleans and reshapes a table: drop, rename and cast columns, fill missing values, remove duplicates, filter rows, compute columns, one-hot encode, bin, scale and parse dates, or one SQL SELECT.',
  },
  retry: { attempts: 1, backoffMs: 0 },
})
