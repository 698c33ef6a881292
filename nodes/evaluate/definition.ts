import { z } from 'zod'
import { defineNode } from '../contract'
import { modelName } from '../train-handoff/definition'

const column = (what: string) => z.string().min(1).max(256).describe(what).meta({ column: true })

/** Metric names as the report's `metrics` has them. */
const metricName = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[a-z][a-z0-9_]*$/, 'a metric name in snake_case, e.g. "f1_macro", "accuracy", "rmse"')

export const gateSchema = z
  .strictObject({
    metric: metricName.describe('The metric the gate checks'),
    min: z.number().optional().describe('The metric must be at least this'),
    max: z.number().optional().describe('The metric must be at most this'),
  })
  .refine((g) => g.min !== undefined || g.max !== undefined, { message: 'give min, max or both', path: ['min'] })

/** Aliases follow model names' rules: `champion`, `challenger`, `staging-eu`. */
export const aliasName = modelName

export const evaluateConfig = z.strictObject({
  label: column("The column with the true answers; the model's own label column when left out").optional(),
  task: z.enum(['classification', 'regression']).optional().describe("Overrides the model's task (an imported model may not say)"),
  segmentBy: column('A column whose values are segments (region, device, sex): metrics per segment and the largest gap between them').optional(),
  maxSegmentGap: z
    .strictObject({ metric: metricName, value: z.number().nonnegative() })
    .optional()
    .describe('Fail when the gap in this metric between the best and the worst segment is larger'),
  minSegmentRows: z.int().positive().default(20).describe('Segments with fewer rows are listed but left out of the gap'),
  gates: z.array(gateSchema).max(50).default([]).describe('Every gate must pass or the step fails, naming the gate'),
  champion: z
    .strictObject({
      alias: aliasName.default('champion'),
      metric: metricName,
      maxDrop: z.number().nonnegative().default(0),
    })
    .optional()
    .describe("Compare with the version the alias points at: fail when this model is worse by more than maxDrop"),
  promoteTo: aliasName.optional().describe('When every gate passes, point this alias (e.g. "champion") at the evaluated version'),
})
export type EvaluateConfig = z.output<typeof evaluateConfig>

export const evaluate = defineNode({
  kind: 'evaluate',
  version: 1,
  ports: { in: { model: 'model', dataset: 'dataset' }, out: { report: 'report' } },
  config: evaluateConfig,
  ui: {
    title: 'Evaluate',
    category: 'model',
    icon: 'gauge',
    aliases: ['score', 'metrics', 'test', 'accuracy', 'f1', 'roc', 'confusion matrix', 'champion', 'bias', 'fairness', 'rmse', 'gates'],
    description:
      'Scores a model on held-out data exactly as serving will, with metrics per class and per segment, latency, quality gates and a comparison with the champion; promotes it when it wins.',
  },
  retry: { attempts: 1, backoffMs: 0 },
})
