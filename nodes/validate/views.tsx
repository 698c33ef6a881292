'use client'
import clsx from 'clsx'
import { CheckCircle2, ShieldAlert } from 'lucide-react'
import type { ReactNode } from 'react'
import { Alert } from '@/app/_components/alert'
import { DatasetSummary, StatsSection } from '@/app/_components/dataset/dataset-view'
import { VirtualTable } from '@/app/_components/dataset/virtual-table'
import { formatNumber, formatPercent } from '@/app/_components/format'
import { TableHead } from '@/app/_components/table-head'
import { defineViews, type DatasetPreview } from '../views-contract'
import { quarantineColumns, validate, validationReport, type ValidationReport } from './definition'
import { ruleInWords, ruleLabels } from './rule-words'

/** How validate's outputs read on the step page and in the canvas preview. */
export const validateViews = defineViews({
  kind: validate.kind,
  Report: ValidationReportView,
  datasetPorts: { quarantine: QuarantineView },
})

/** The report as a readable summary (the raw JSON stays one click away below it, on the generic view). */
function ValidationReportView({ report }: { port: string; report: unknown }) {
  const parsed = validationReport.safeParse(report)
  if (!parsed.success) {
    return (
      <Alert tone="info" title="A report this page cannot summarise">
        It is not a validation report this version of Pipewright knows; its JSON is below.
      </Alert>
    )
  }
  return (
    <div className="space-y-6">
      <ValidationSummary report={parsed.data} />
    </div>
  )
}

function ValidationSummary({ report }: { report: ValidationReport }) {
  const { totalRows, cleanRows, quarantinedRows, passed } = report
  const failedRules = report.rules.filter((r) => r.failedRows > 0).length
  const failedSchema = report.schema.filter((s) => !s.ok).length
  return (
    <>
      <div
        data-testid="report-summary"
        data-passed={passed ? 'true' : 'false'}
        className={clsx('flex items-start gap-3 rounded-lg border p-4', passed ? 'border-green-200 bg-green-50' : 'border-amber-200 bg-amber-50')}
      >
        {passed ? <CheckCircle2 className="size-6 shrink-0 text-green-600" aria-hidden /> : <ShieldAlert className="size-6 shrink-0 text-amber-600" aria-hidden />}
        <div>
          {/* a report exists only when the step succeeded: rows were set aside, nothing failed */}
          <p className={clsx('text-base font-semibold', passed ? 'text-green-800' : 'text-amber-900')}>
            {passed ? 'Passed' : 'Rows quarantined'}
            {' · '}
            {passed
              ? `all ${formatNumber(totalRows, 0)} rows passed every check`
              : `${formatNumber(quarantinedRows, 0)} of ${formatNumber(totalRows, 0)} rows broke a rule`}
          </p>
          <p className="mt-0.5 text-sm text-zinc-700">
            {report.rules.length} {report.rules.length === 1 ? 'rule' : 'rules'} ({failedRules} with failures)
            {report.schema.length > 0 ? ` · ${report.schema.length} schema checks (${failedSchema} failed)` : ''}
            {' · mode '}
            <span className="font-mono text-xs">{report.mode}</span>
            {!passed && report.mode === 'quarantine' ? ': bad rows went to the quarantine output' : ''}
            {!passed && report.mode === 'fail' ? ': the step fails when any row breaks a rule' : ''}
          </p>
        </div>
      </div>

      <Totals total={totalRows} clean={cleanRows} quarantined={quarantinedRows} />

      <Panel title="Rules">
        {report.rules.length === 0 ? (
          <p className="p-4 text-sm text-zinc-500">No row rules were configured.</p>
        ) : (
          <RulesTable report={report} />
        )}
      </Panel>

      {report.schema.length > 0 ? (
        <Panel title="Schema checks">
          <SchemaTable report={report} />
        </Panel>
      ) : null}
    </>
  )
}

function Totals({ total, clean, quarantined }: { total: number; clean: number; quarantined: number }) {
  const cleanPct = total === 0 ? 0 : clean / total
  const badPct = total === 0 ? 0 : quarantined / total
  return (
    <div className="card p-4" data-testid="report-totals">
      <div className="grid grid-cols-3 gap-4">
        <Stat label="Total rows" value={formatNumber(total, 0)} />
        <Stat label="Clean" value={formatNumber(clean, 0)} hint={formatPercent(cleanPct)} tone="text-green-700" />
        <Stat label="Quarantined" value={formatNumber(quarantined, 0)} hint={formatPercent(badPct)} tone={quarantined > 0 ? 'text-red-700' : undefined} />
      </div>
      <div className="mt-4 flex h-2.5 overflow-hidden rounded-full bg-zinc-100" aria-hidden>
        <div className="bg-green-500" style={{ width: `${cleanPct * 100}%` }} />
        <div className="bg-red-500" style={{ width: `${badPct * 100}%` }} />
      </div>
    </div>
  )
}

function Stat({ label, value, hint, tone }: { label: string; value: string; hint?: string; tone?: string }) {
  return (
    <div>
      <p className="text-xs font-medium tracking-wide text-zinc-500 uppercase">{label}</p>
      <p className={clsx('mt-1 text-2xl font-semibold tabular-nums', tone ?? 'text-zinc-900')}>
        {value}
        {hint ? <span className="ml-1.5 text-sm font-normal text-zinc-500">{hint}</span> : null}
      </p>
    </div>
  )
}


function RulesTable({ report }: { report: ValidationReport }) {
  return (
    <table className="min-w-full text-sm" data-testid="report-rules">
      <TableHead density="compact" cells={[{ label: 'Column' }, { label: 'Rule' }, { label: 'Values must be' }, { label: 'Failed rows', align: 'right' }, { label: 'Example bad values' }]} />
      <tbody className="divide-y divide-zinc-100">
        {report.rules.map((rule, i) => (
          <tr key={i} className={rule.failedRows > 0 ? 'bg-red-50/30' : undefined}>
            <td className="px-3 py-2 font-mono text-xs whitespace-pre text-zinc-800">{rule.column}</td>
            <td className="px-3 py-2 whitespace-nowrap text-zinc-700">{ruleLabels[rule.rule] ?? rule.rule}</td>
            <td className="px-3 py-2 text-zinc-700">
              <span title={rule.description}>{ruleInWords(rule)}</span>
              {rule.stats ? <RuleStats stats={rule.stats} /> : null}
            </td>
            <td className="px-3 py-2 text-right tabular-nums">
              {rule.failedRows > 0 ? (
                <span className="font-semibold text-red-700">
                  {formatNumber(rule.failedRows, 0)}
                  <span className="ml-1 text-xs font-normal text-zinc-500">
                    {report.totalRows > 0 ? formatPercent(rule.failedRows / report.totalRows) : ''}
                  </span>
                </span>
              ) : (
                <span className="text-green-700">0</span>
              )}
            </td>
            <td className="px-3 py-2">
              <Examples values={rule.examples} />
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  )
}

function RuleStats({ stats }: { stats: Record<string, number | null> }) {
  const entries = Object.entries(stats).filter(([, v]) => v !== null)
  if (entries.length === 0) return null
  return (
    <span className="mt-0.5 block text-xs text-zinc-500">
      {entries.map(([k, v]) => `${k} ${formatNumber(v, 3)}`).join(' · ')}
    </span>
  )
}

function SchemaTable({ report }: { report: ValidationReport }) {
  return (
    <table className="min-w-full text-sm" data-testid="report-schema">
      <TableHead density="compact" cells={[{ label: 'Column' }, { label: 'Expected type' }, { label: 'Actual type' }, { label: 'Required' }, { label: 'Failed rows', align: 'right' }, { label: 'Examples' }, { label: 'Result' }]} />
      <tbody className="divide-y divide-zinc-100">
        {report.schema.map((check) => (
          <tr key={check.name}>
            <td className="px-3 py-2 font-mono text-xs whitespace-pre text-zinc-800">{check.name}</td>
            <td className="px-3 py-2 text-zinc-700">{check.expectedType ?? <span className="text-zinc-400">any</span>}</td>
            <td className="px-3 py-2 font-mono text-xs text-zinc-600">{check.present ? check.actualType : <span className="text-red-700">missing</span>}</td>
            <td className="px-3 py-2 text-zinc-600">{check.required ? 'yes' : 'no'}</td>
            <td className="px-3 py-2 text-right tabular-nums">{check.failedRows}</td>
            <td className="px-3 py-2">
              <Examples values={check.examples} />
            </td>
            <td className="px-3 py-2">
              {check.ok ? <span className="text-green-700">ok</span> : <span className="font-medium text-red-700">failed</span>}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  )
}

function Examples({ values }: { values: unknown[] }) {
  if (values.length === 0) return <span className="text-zinc-300">—</span>
  return (
    <span className="flex flex-wrap gap-1">
      {values.map((value, i) => (
        <code key={i} className="rounded bg-red-50 px-1.5 py-0.5 font-mono text-xs whitespace-pre text-red-800 ring-1 ring-red-100 ring-inset">
          {value === null ? 'null' : JSON.stringify(value)}
        </code>
      ))}
    </span>
  )
}

function Panel({ title, children }: { title: string; children: ReactNode }) {
  return (
    <section>
      <h2 className="mb-2 text-sm font-semibold text-zinc-700">{title}</h2>
      <div className="card overflow-x-auto">{children}</div>
    </section>
  )
}

/** The quarantine port: the rows that broke a rule, with the reasons up front. */
function QuarantineView({ preview }: { port: string; preview: DatasetPreview }) {
  const { reasons, row } = quarantineColumns
  const first = preview.schema.filter((c) => c.name === reasons || c.name === row)
  first.sort((a, b) => (a.name === reasons ? -1 : b.name === reasons ? 1 : 0))
  const columns = [...first, ...preview.schema.filter((c) => c.name !== reasons && c.name !== row)]
  const count = preview.rowCount
  return (
    <div className="space-y-6">
      <div className={count > 0 ? 'card border-red-200 bg-red-50/60 p-4' : 'card border-green-200 bg-green-50/60 p-4'}>
        <p className="flex items-center gap-2 text-base font-semibold text-zinc-900">
          <ShieldAlert className={count > 0 ? 'size-5 text-red-600' : 'size-5 text-green-600'} aria-hidden />
          <span>
            <span data-testid="quarantine-count">{count}</span> {count === 1 ? 'row' : 'rows'} quarantined
          </span>
        </p>
        <p className="mt-1 text-sm text-zinc-600">
          {count > 0
            ? 'Each row below broke at least one rule; the red chips say which. They were kept out of the clean output.'
            : 'Every row passed every rule.'}
        </p>
      </div>
      {count > 0 ? (
        <>
          <DatasetSummary preview={preview} />
          <div className="card overflow-hidden">
            <VirtualTable
              artifactId={preview.artifactId}
              total={preview.rowCount}
              columns={columns}
              firstRows={preview.rows}
              testId="quarantine-table"
              highlight={highlighted}
              widths={reasonWidth}
              renderCell={renderReasons}
            />
          </div>
          {preview.profile ? <StatsSection profile={preview.profile} /> : null}
        </>
      ) : null}
    </div>
  )
}

const highlighted: ReadonlySet<string> = new Set([quarantineColumns.reasons])
const reasonWidth = { [quarantineColumns.reasons]: 440 }

/** Module-level, so the table's columns stay the same object from one render to the next. */
function renderReasons(column: string, value: unknown) {
  return column === quarantineColumns.reasons ? <ReasonChips value={value} /> : undefined
}

/** Why a quarantined row was quarantined: one red chip per broken rule. */
function ReasonChips({ value }: { value: unknown }) {
  const reasons = Array.isArray(value) ? value.map(String) : value === null || value === undefined ? [] : [String(value)]
  return (
    <span className="flex gap-1 overflow-hidden" title={reasons.join('\n')}>
      {reasons.map((reason, i) => (
        <span key={i} className="rounded-md bg-red-50 px-1.5 text-xs leading-5 font-medium whitespace-nowrap text-red-700 ring-1 ring-red-200 ring-inset">
          {reason}
        </span>
      ))}
    </span>
  )
}
