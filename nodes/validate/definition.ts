import { z } from 'zod'
import { defineNode } from '../contract'

export const expectedTypes = ['number', 'integer', 'string', 'boolean', 'date', 'timestamp'] as const
export type ExpectedType = (typeof expectedTypes)[number]

export const ruleKinds = ['not_null', 'between', 'in_set', 'regex', 'unique', 'zscore', 'iqr'] as const
export type RuleKind = (typeof ruleKinds)[number]

// `column: true` tells the config form to offer the upstream dataset's column names
const column = z
  .string()
  .min(1)
  .describe('Column name, exactly as in the dataset (spaces, brackets and quotes included)')
  .meta({ column: true })

export const validationRule = z.discriminatedUnion('rule', [
  z
    .strictObject({
      column,
      rule: z.literal('not_null').describe('The value must be present: not NULL, not blank text, not NaN'),
    })
    .describe('Not missing'),
  z
    .strictObject({
      column,
      rule: z.literal('between').describe('The value must be a number within [min, max]; NULLs pass'),
      min: z.number().optional().describe('Smallest allowed value (inclusive); leave empty for no lower bound'),
      max: z.number().optional().describe('Largest allowed value (inclusive); leave empty for no upper bound'),
    })
    .refine((r) => r.min !== undefined || r.max !== undefined, { message: 'give min, max or both', path: ['min'] })
    .refine((r) => r.min === undefined || r.max === undefined || r.min <= r.max, {
      message: 'min must not be larger than max',
      path: ['max'],
    })
    .describe('Within a range'),
  z
    .strictObject({
      column,
      rule: z.literal('in_set').describe('The value must be one of the listed values (compared as text); NULLs pass'),
      values: z
        .array(z.union([z.string(), z.number(), z.boolean()]))
        .min(1)
        .describe('Allowed values'),
    })
    .describe('One of a set'),
  z
    .strictObject({
      column,
      rule: z.literal('regex').describe('The whole value, as text, must match the pattern; NULLs pass'),
      pattern: z.string().min(1).describe('A regular expression (RE2 syntax) the whole value must match'),
    })
    .describe('Matches a pattern'),
  z
    .strictObject({
      column,
      rule: z.literal('unique').describe('No value may appear more than once; every copy is flagged; NULLs pass'),
    })
    .describe('Unique'),
  z
    .strictObject({
      column,
      rule: z.literal('zscore').describe('Flags numbers further than `threshold` standard deviations from the mean'),
      threshold: z.number().positive().default(3).describe('How many standard deviations from the mean are allowed'),
    })
    .describe('Outlier (z-score)'),
  z
    .strictObject({
      column,
      rule: z.literal('iqr').describe('Flags numbers outside [Q1 − factor·IQR, Q3 + factor·IQR]'),
      factor: z.number().positive().default(1.5).describe('How many interquartile ranges beyond the quartiles are allowed'),
    })
    .describe('Outlier (IQR)'),
])
export type ValidationRule = z.output<typeof validationRule>

export const columnExpectation = z.strictObject({
  name: z.string().min(1).describe('Column name, exactly as in the dataset').meta({ column: true }),
  type: z
    .enum(expectedTypes)
    .optional()
    .describe('Every non-null value must be convertible to this type; rows with a value that is not are flagged'),
  required: z.boolean().default(true).describe('Whether the column must exist; a missing required column fails the step'),
})
export type ColumnExpectation = z.output<typeof columnExpectation>

export const validateConfig = z.strictObject({
  mode: z
    .enum(['quarantine', 'fail'])
    .default('quarantine')
    .describe("'quarantine' moves rows that break a rule to the quarantine output; 'fail' stops the step if any row does"),
  columns: z.array(columnExpectation).optional().describe('Expected columns and their types (schema checks)'),
  rules: z.array(validationRule).default([]).describe('Row checks; a row breaking any of them is quarantined'),
})
export type ValidateConfig = z.output<typeof validateConfig>

/** The JSON the `report` port carries. */
export const validationReport = z.object({
  totalRows: z.number().int().nonnegative(),
  cleanRows: z.number().int().nonnegative(),
  quarantinedRows: z.number().int().nonnegative(),
  mode: z.enum(['quarantine', 'fail']),
  /** no row broke a rule or a type check, and every required column is present */
  passed: z.boolean(),
  rules: z.array(
    z.object({
      column: z.string(),
      rule: z.enum(ruleKinds),
      /** the rule's settings, e.g. { min: 20, max: 80 } */
      params: z.record(z.string(), z.unknown()),
      /** what the rule checked, in words: "between 20 and 80" */
      description: z.string(),
      failedRows: z.number().int().nonnegative(),
      /** the first offending values (up to 5), in row order */
      examples: z.array(z.json()),
      /** statistics the rule computed: zscore { mean, std }, iqr { q1, q3, lower, upper } */
      stats: z.record(z.string(), z.number().nullable()).optional(),
    }),
  ),
  schema: z.array(
    z.object({
      name: z.string(),
      expectedType: z.enum(expectedTypes).nullable(),
      /** DuckDB's type name, null when the column is absent */
      actualType: z.string().nullable(),
      present: z.boolean(),
      required: z.boolean(),
      /** rows whose value cannot be converted to expectedType */
      failedRows: z.number().int().nonnegative(),
      examples: z.array(z.json()),
      ok: z.boolean(),
    }),
  ),
  /** the input dataset's columns */
  columns: z.array(z.object({ name: z.string(), type: z.string() })),
})
export type ValidationReport = z.infer<typeof validationReport>

/** Columns the quarantine output adds in front of the input's columns. */
export const quarantineColumns = {
  /** BIGINT: the row's 1-based position in the input dataset */
  row: '_row',
  /** VARCHAR[]: why the row was quarantined, one sentence per broken rule */
  reasons: '_reasons',
} as const

export const validate = defineNode({
  kind: 'validate',
  version: 1,
  ports: { in: { dataset: 'dataset' }, out: { clean: 'dataset', quarantine: 'dataset', report: 'report' } },
  config: validateConfig,
  ui: {
    title: 'Validate',
    category: 'data',
    icon: 'shield-check',
    aliases: ['check', 'expect', 'quality', 'rules', 'quarantine', 'outliers', 'schema', 'great expectations'],
    description:
      'Checks every row against rules and column types; rows that break one go to quarantine with the reasons, the rest to clean.',
  },
  retry: { attempts: 1, backoffMs: 0 },
})
