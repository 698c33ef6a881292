import fs from 'node:fs'
import type { Executor, InputArtifact } from '../contract'
import { StepError } from '../contract'
import { withDuckDB, type DuckSession } from '../_lib/duckdb'
import { readModelMetadata } from '../_lib/models/embedded-metadata'
import type { ModelMetadata } from '../_lib/models/metadata'
import type { EvaluateConfig, evaluate } from './definition'
import { checkAgainstChampion, checkGates, describeGate, lowerIsBetter, type GateResult } from './gates'
import { evaluateClassification, evaluateRegression, segmentReport, type Answers } from './metrics/evaluation'
import type { MetricValues } from './metrics/segments'
import { costMetrics, type EvaluationReport } from './report'
import { measureLatency } from './score'
import { scoreModel, type ModelScore } from './score-model'

type EvaluateContext = Parameters<Executor<typeof evaluate>>[0]

export const run: Executor<typeof evaluate> = async (ctx) => {
  const { model, dataset } = ctx.inputs
  const metadata = modelMetadataOf(model)
  const task = ctx.config.task ?? metadata.task
  const labelColumn = ctx.config.label ?? metadata.label
  const registered = await ctx.registry.versionOf(model.id)
  const report = await withDuckDB(async (db) => {
    const candidate = await score(db, ctx, model.path, metadata, task, labelColumn, ctx.config.segmentBy)
    ctx.progress(0.8, 'Timing the model')
    const latency = candidate.sample ? await measureLatency(candidate.session, candidate.sample) : []
    await candidate.session.release()
    const detail = detailOf(candidate.scored)
    const metrics = { ...detail.metrics, ...costMetrics(latency, candidate.sizeBytes) }
    const segments = ctx.config.segmentBy && candidate.segments ? segmentReport(ctx.config.segmentBy, candidate.segments, ctx.config.minSegmentRows, candidate.scored, lowerIsBetter) : undefined
    const champion = ctx.config.champion ? await compareWithChampion(db, ctx, registered, metrics, task, labelColumn) : undefined
    const gates = [...checkGates(ctx.config.gates, metrics), ...(segments ? segmentGapGate(ctx.config, segments.gaps) : []), ...(champion ? [champion.gate] : [])]
    const result: EvaluationReport = {
      kind: 'evaluation',
      task,
      model: { artifactId: model.id, name: registered?.name ?? null, version: registered?.version ?? null, algorithm: metadata.algorithm, label: labelColumn, sizeBytes: candidate.sizeBytes },
      dataset: { artifactId: dataset.id, rows: rowsOf(candidate) + candidate.skipped, scored: rowsOf(candidate), skipped: candidate.skipped },
      metrics,
      ...detail.sections,
      ...(segments ? { segments } : {}),
      latency,
      ...(champion ? { champion: champion.summary } : {}),
      gates,
      passed: gates.every((g) => g.passed),
    }
    return result
  }, { signal: ctx.signal })
  logSummary(ctx, report)
  const failed = report.gates.filter((g) => !g.passed)
  if (failed.length > 0) throw new StepError(`${failed.length === 1 ? 'A quality gate failed' : `${failed.length} quality gates failed`}: ${failed.map((g) => g.message).join('; ')}.`)
  report.promoted = promote(ctx, registered)
  await ctx.outputs.report('report', report)
  ctx.progress(1)
}

/** The metadata a model was published or imported with; a file from elsewhere may carry it inside. */
function modelMetadataOf(model: InputArtifact): ModelMetadata {
  const metadata = model.model ?? readModelMetadata(fs.readFileSync(model.path))
  if (!metadata) throw new StepError('The model has no metadata (its features, label and task): import it through the model registry, which reads its signature.')
  return metadata
}

async function score(db: DuckSession, ctx: EvaluateContext, modelPath: string, metadata: ModelMetadata, task: 'classification' | 'regression', labelColumn: string, segmentColumn?: string): Promise<ModelScore> {
  const total = ctx.inputs.dataset.rowCount
  return scoreModel(db, {
    modelPath,
    metadata,
    datasetPath: ctx.inputs.dataset.path,
    task,
    labelColumn,
    ...(segmentColumn ? { segmentColumn } : {}),
    readBlob: (id) => ctx.readBlob(id),
    onRows: (rows) => ctx.progress(total ? (0.7 * rows) / total : 0.5, `Scored ${rows.toLocaleString('en')}${total ? ` of ${total.toLocaleString('en')}` : ''} rows`),
  })
}

function rowsOf(score: ModelScore): number {
  return score.scored.answers.truth.length
}

function detailOf(scored: Answers): { metrics: MetricValues; sections: Pick<EvaluationReport, 'classification' | 'regression'> } {
  if (scored.task === 'regression') {
    const result = evaluateRegression(scored.answers)
    return { metrics: result.metrics, sections: { regression: { residuals: result.residuals } } }
  }
  const result = evaluateClassification(scored.answers)
  return {
    metrics: result.metrics,
    sections: { classification: { labels: [...scored.answers.labels], per_class: result.per_class, confusion_matrix: result.confusion_matrix, curves: result.curves } },
  }
}

function segmentGapGate(config: EvaluateConfig, gaps: NonNullable<EvaluationReport['segments']>['gaps']): GateResult[] {
  const bound = config.maxSegmentGap
  if (!bound) return []
  const gate = `${bound.metric} gap between segments of ${config.segmentBy} ≤ ${bound.value}`
  const found = gaps.find((g) => g.metric === bound.metric)
  if (!found) return [{ gate, metric: bound.metric, value: null, passed: false, message: `${gate}: fewer than two segments with at least ${config.minSegmentRows} rows have a ${bound.metric}` }]
  const passed = found.gap <= bound.value
  const message = `${gate}: ${Number(found.gap.toPrecision(6))} between ${JSON.stringify(found.best.segment)} and ${JSON.stringify(found.worst.segment)}${passed ? '' : ', so the gate fails'}`
  return [{ gate, metric: bound.metric, value: found.gap, passed, message }]
}

interface ChampionComparison {
  gate: GateResult
  summary: NonNullable<EvaluationReport['champion']>
}

/**
 * Scores the alias's version on the same rows now (stored metrics came from other data). Without
 * a champion yet, this model is the first and the comparison passes; against itself it passes too.
 */
async function compareWithChampion(db: DuckSession, ctx: EvaluateContext, registered: { name: string; version: number } | null, metrics: MetricValues, task: 'classification' | 'regression', labelColumn: string): Promise<ChampionComparison> {
  const { alias, metric, maxDrop } = ctx.config.champion!
  const gateName = `${metric} not worse than ${alias} by more than ${maxDrop}`
  const pass = (note: string, version: number | null = null): ChampionComparison => ({
    gate: { gate: gateName, metric, value: metrics[metric] ?? null, passed: true, message: `${gateName}: ${note}` },
    summary: { alias, version, metrics: null, note },
  })
  if (!registered) throw new StepError(`The model is not in the registry, so it has no "${alias}" to be compared with: give the Train step a registry name (registerAs).`)
  const target = await ctx.registry.aliasTarget(registered.name, alias)
  if (!target) return pass(`"${registered.name}" has no ${alias} yet, so this model is the first`)
  if (target.version === registered.version) return pass(`this model is version ${target.version}, the ${alias} already`, target.version)
  ctx.progress(0.85, `Scoring the ${alias}, version ${target.version}`)
  const championMetadata = modelMetadataOf(target.model)
  const champion = await score(db, ctx, target.model.path, championMetadata, task, labelColumn)
  await champion.session.release()
  const championMetrics = detailOf(champion.scored).metrics
  const gate = checkAgainstChampion(metric, maxDrop, metrics[metric] ?? null, championMetrics[metric] ?? null, `${alias} (version ${target.version})`)
  return { gate, summary: { alias, version: target.version, metrics: championMetrics, note: gate.message } }
}

function promote(ctx: EvaluateContext, registered: { name: string; version: number } | null): EvaluationReport['promoted'] {
  const alias = ctx.config.promoteTo
  if (!alias) return null
  if (!registered) throw new StepError(`Every gate passed, but the model is not in the registry, so "${alias}" cannot point at it: give the Train step a registry name (registerAs).`)
  ctx.outputs.moveAlias({ name: registered.name, alias, version: registered.version })
  ctx.log('info', `Every gate passed: "${alias}" of ${registered.name} will point at version ${registered.version}.`)
  return { alias, name: registered.name, version: registered.version }
}

const headline = ['accuracy', 'f1_macro', 'roc_auc', 'log_loss', 'mae', 'rmse', 'r2', 'latency_p50_ms']

function logSummary(ctx: Pick<EvaluateContext, 'log'>, report: EvaluationReport): void {
  const numbers = headline.filter((m) => typeof report.metrics[m] === 'number').map((m) => `${m} ${Number((report.metrics[m] as number).toPrecision(4))}`)
  ctx.log('info', `Scored ${report.dataset.scored.toLocaleString('en')} rows${report.dataset.skipped ? ` (${report.dataset.skipped} without a true answer left out)` : ''}: ${numbers.join(', ')}.`)
  for (const gate of report.gates) ctx.log(gate.passed ? 'info' : 'error', `${gate.passed ? 'Passed' : 'Failed'}: ${gate.message}`)
  if (report.gates.length === 0) ctx.log('info', `No gates set; add one (e.g. ${describeGate({ metric: report.task === 'classification' ? 'f1_macro' : 'r2', min: 0.8 })}) to stop a weaker model.`)
}
