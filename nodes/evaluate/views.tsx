'use client'
import clsx from 'clsx'
import { Alert } from '@/app/_components/alert'
import { BarChart } from '@/app/_components/charts/bar-chart'
import { ConfusionMatrix } from '@/app/_components/charts/confusion-matrix'
import { LineChart, type Series } from '@/app/_components/charts/line-chart'
import { ScatterChart } from '@/app/_components/charts/scatter-chart'
import { formatBytes, formatNumber } from '@/app/_components/format'
import { TableHead } from '@/app/_components/table-head'
import { defineViews } from '../views-contract'
import { isEvaluationReport, type EvaluationReport } from './report'

const palette = ['#6366f1', '#f59e0b', '#10b981', '#e11d48', '#0ea5e9', '#a855f7', '#84cc16', '#f97316']

const metricNames: Record<string, string> = {
  accuracy: 'Accuracy',
  f1_macro: 'F1 (macro)',
  precision_macro: 'Precision (macro)',
  recall_macro: 'Recall (macro)',
  roc_auc: 'ROC-AUC',
  average_precision: 'Average precision',
  log_loss: 'Log loss',
  mae: 'MAE',
  rmse: 'RMSE',
  r2: 'R²',
}

const metricValue = (value: number | null | undefined) => (typeof value === 'number' ? formatNumber(value, 4) : '—')

function Verdict({ report }: { report: EvaluationReport }) {
  const model = report.model.name ? `${report.model.name} v${report.model.version}` : 'an unregistered model'
  return (
    <div className="card p-4" data-testid="evaluation-verdict">
      <p className="text-base font-semibold text-zinc-900">
        {report.gates.length === 0 ? 'Scored' : report.passed ? `Passed ${report.gates.length === 1 ? 'its gate' : `all ${report.gates.length} gates`}` : 'A gate failed'} · {model}
      </p>
      <p className="mt-0.5 text-sm text-zinc-600">
        {report.model.algorithm} · {formatNumber(report.dataset.scored, 0)} held-out rows scored by the ONNX model as serving runs it
        {report.dataset.skipped > 0 ? ` · ${formatNumber(report.dataset.skipped, 0)} without a true "${report.model.label}" left out` : ''} · {formatBytes(report.model.sizeBytes)}
      </p>
      {report.promoted ? (
        <p className="mt-2 text-sm text-emerald-700" data-testid="evaluation-promoted">
          “{report.promoted.alias}” now points at version {report.promoted.version}.
        </p>
      ) : null}
    </div>
  )
}

function MetricTiles({ report }: { report: EvaluationReport }) {
  const shown = Object.keys(metricNames).filter((m) => m in report.metrics)
  return (
    <dl className="grid grid-cols-2 gap-3 sm:grid-cols-4" data-testid="evaluation-metrics">
      {shown.map((m) => (
        <div key={m} className="card px-3 py-2" data-metric={m}>
          <dt className="text-xs text-zinc-500">{metricNames[m]}</dt>
          <dd className="text-lg font-semibold tabular-nums text-zinc-900">{metricValue(report.metrics[m])}</dd>
        </div>
      ))}
    </dl>
  )
}

function Gates({ report }: { report: EvaluationReport }) {
  if (report.gates.length === 0) return <p className="text-sm text-zinc-500">No quality gates are set: this evaluation cannot stop a weaker model.</p>
  return (
    <ul className="space-y-1" data-testid="evaluation-gates">
      {report.gates.map((g) => (
        <li key={g.gate} className={clsx('text-sm', g.passed ? 'text-emerald-700' : 'text-rose-700')}>
          <span aria-hidden>{g.passed ? '✓ ' : '✗ '}</span>
          {g.message}
        </li>
      ))}
    </ul>
  )
}

/** The champion scored on the same rows, its headline numbers beside this model's. */
function ChampionMetrics({ report }: { report: EvaluationReport }) {
  const champion = report.champion!
  const shown = Object.keys(metricNames).filter((m) => typeof champion.metrics?.[m] === 'number' && typeof report.metrics[m] === 'number')
  return (
    <table className="card w-full max-w-md overflow-hidden text-sm" data-testid="champion-comparison">
      <TableHead density="compact" cells={[{ label: 'Metric' }, { label: 'This model', align: 'right' }, { label: `${champion.alias} v${champion.version}`, align: 'right' }]} />
      <tbody>
        {shown.map((m) => (
          <tr key={m} className="border-t border-zinc-100">
            <td className="px-3 py-1.5 text-zinc-800">{metricNames[m]}</td>
            <td className="px-3 text-right tabular-nums">{metricValue(report.metrics[m])}</td>
            <td className="px-3 text-right tabular-nums">{metricValue(champion.metrics![m])}</td>
          </tr>
        ))}
      </tbody>
    </table>
  )
}

function Curves({ curves }: { curves: NonNullable<EvaluationReport['classification']>['curves'] }) {
  const series = (pick: 'roc' | 'pr'): Series[] =>
    curves.map((c, i) => ({ name: `${c.label}${c[pick === 'roc' ? 'roc_auc' : 'average_precision'] !== null ? ` (${formatNumber(c[pick === 'roc' ? 'roc_auc' : 'average_precision'], 3)})` : ''}`, points: c[pick].x.flatMap((x, k) => (Number.isFinite(x) && Number.isFinite(c[pick].y[k]) ? [{ x, y: c[pick].y[k]! }] : [])), colour: palette[i % palette.length]! }))
  const chance: Series = { name: 'chance', points: [{ x: 0, y: 0 }, { x: 1, y: 1 }], colour: '#a1a1aa', dashed: true }
  return (
    <div className="flex flex-wrap gap-6">
      <div data-testid="roc-curve">
        <h4 className="text-sm font-medium text-zinc-800">ROC curve {curves.length > 1 ? '(each class against the rest)' : `(${curves[0]?.label} as positive)`}</h4>
        <LineChart series={[...series('roc'), chance]} width={360} height={260} xLabel="false positive rate" xDomain={[0, 1]} yDomain={[0, 1]} />
      </div>
      <div data-testid="pr-curve">
        <h4 className="text-sm font-medium text-zinc-800">Precision against recall</h4>
        <LineChart series={series('pr')} width={360} height={260} xLabel="recall" xDomain={[0, 1]} yDomain={[0, 1]} />
      </div>
    </div>
  )
}

/**
 * A class with no held-out rows (or only those) has no ROC or PR curve to speak of: its line would be
 * a made-up diagonal or edge, so it is named instead of drawn.
 */
function ClassCurvesSection({ curves }: { curves: NonNullable<EvaluationReport['classification']>['curves'] }) {
  const drawn = curves.filter((c) => c.roc_auc !== null)
  const left = curves.filter((c) => c.roc_auc === null).map((c) => `“${c.label || '(empty)'}”`)
  if (curves.length === 0) return null
  return (
    <>
      {drawn.length > 0 ? <Curves curves={drawn} /> : null}
      {left.length > 0 ? (
        <p className="text-sm text-zinc-500" data-testid="curves-left-out">
          No ROC or precision-recall curve for {left.join(', ')}: a class needs held-out rows of its own and of other classes to draw one.
        </p>
      ) : null}
    </>
  )
}

function PerClass({ classification }: { classification: NonNullable<EvaluationReport['classification']> }) {
  return (
    <table className="card h-fit w-full max-w-md overflow-hidden text-sm" data-testid="per-class">
      <TableHead density="compact" cells={[{ label: 'Class' }, ...['Precision', 'Recall', 'F1', 'Rows'].map((label) => ({ label, align: 'right' as const }))]} />
      <tbody>
        {classification.per_class.map((c) => (
          <tr key={c.label} className="border-t border-zinc-100">
            <td className="px-3 py-1.5 font-medium text-zinc-800">{c.label || '(empty)'}</td>
            <td className="px-3 text-right tabular-nums">{formatNumber(c.precision, 3)}</td>
            <td className="px-3 text-right tabular-nums">{formatNumber(c.recall, 3)}</td>
            <td className="px-3 text-right tabular-nums">{formatNumber(c.f1, 3)}</td>
            <td className="px-3 text-right tabular-nums">{formatNumber(c.support, 0)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  )
}

function Segments({ report }: { report: EvaluationReport }) {
  const segments = report.segments
  if (!segments) return null
  const metric = report.task === 'classification' ? 'accuracy' : 'r2'
  const gap = segments.gaps.find((g) => g.metric === metric)
  return (
    <section className="space-y-2" data-testid="evaluation-segments">
      <h3 className="text-sm font-semibold text-zinc-900">
        {metricNames[metric]} by {segments.column}
      </h3>
      <BarChart
        bars={segments.segments.slice(0, 30).map((s) => ({ label: s.segment, value: s.metrics[metric] ?? null, muted: !s.counted, note: `${s.rows} rows${s.counted ? '' : `: fewer than ${segments.min_rows}, left out of the gap`}` }))}
        domain={metric === 'accuracy' ? [0, 1] : undefined}
        testId="segment-bars"
      />
      {gap ? (
        <p className="text-sm text-zinc-600">
          Largest gap: {formatNumber(gap.gap, 4)} between “{gap.best.segment}” ({formatNumber(gap.best.value, 4)}) and “{gap.worst.segment}” ({formatNumber(gap.worst.value, 4)}).
        </p>
      ) : (
        <p className="text-sm text-zinc-500">Fewer than two segments have {segments.min_rows} rows or more: no gap to measure.</p>
      )}
    </section>
  )
}

function Latency({ report }: { report: EvaluationReport }) {
  if (report.latency.length === 0) return null
  return (
    <p className="text-sm text-zinc-600" data-testid="evaluation-latency">
      Latency per row in onnxruntime-node:{' '}
      {report.latency.map((l) => `batch ${l.batch}: p50 ${formatNumber(l.p50_ms_per_row, 3)} ms, p95 ${formatNumber(l.p95_ms_per_row, 3)} ms`).join(' · ')}
    </p>
  )
}

function EvaluationReportView({ report }: { port: string; report: unknown }) {
  if (!isEvaluationReport(report)) {
    return (
      <Alert tone="info" title="A report this view cannot summarise">
        It is not an evaluation report; its JSON is below.
      </Alert>
    )
  }
  return (
    <div className="space-y-6" data-testid="evaluation-report">
      <Verdict report={report} />
      <MetricTiles report={report} />
      <Gates report={report} />
      {report.champion?.metrics ? <ChampionMetrics report={report} /> : null}
      {report.classification ? (
        <section className="space-y-4">
          <div className="flex flex-wrap gap-8">
            <div>
              <h3 className="mb-1 text-sm font-semibold text-zinc-900">Confusion matrix</h3>
              <ConfusionMatrix labels={report.classification.confusion_matrix.labels} matrix={report.classification.confusion_matrix.matrix} />
            </div>
            <PerClass classification={report.classification} />
          </div>
          <ClassCurvesSection curves={report.classification.curves} />
        </section>
      ) : null}
      {report.regression ? <ScatterChart x={report.regression.residuals.predicted} y={report.regression.residuals.residual} xLabel="prediction" yLabel="residual" testId="residual-plot" /> : null}
      <Segments report={report} />
      <Latency report={report} />
    </div>
  )
}

export const evaluateViews = defineViews({ kind: 'evaluate', Report: EvaluationReportView })
