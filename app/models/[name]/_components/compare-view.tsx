// Two versions side by side: every metric either has, their difference (green when it got better,
// red when worse, by the metric's direction), and the parameters that differ. A plain GET form picks
// the pair, so a comparison is a link someone can share.
import clsx from 'clsx'
import { TableHead } from '@/app/_components/table-head'
import type { ModelVersion } from '@/server/models/registry'
import { formatDelta, formatMetric, improved, isNeutralMetric, metricLabel, orderMetricNames } from '../../_components/metrics'
import { CompareChart, colours, type ComparedMetric } from './compare-chart'

export function ComparePicker({ name, versions, a, b }: { name: string; versions: readonly number[]; a: number; b: number }) {
  const select = (field: 'a' | 'b', value: number) => (
    <select name={field} defaultValue={value} className="input w-auto py-1.5 font-mono" data-testid={`compare-${field}`} aria-label={field === 'a' ? 'First version' : 'Second version'}>
      {versions.map((v) => (
        <option key={v} value={v}>
          v{v}
        </option>
      ))}
    </select>
  )
  return (
    <form method="get" action={`/models/${name}`} className="mb-3 flex flex-wrap items-center gap-2 text-sm" aria-label="Versions to compare">
      {select('a', a)}
      <span className="text-zinc-500">against</span>
      {select('b', b)}
      <button type="submit" className="btn-secondary" data-testid="compare-submit">
        Compare
      </button>
    </form>
  )
}

function comparedMetrics(a: ModelVersion, b: ModelVersion): { name: string; a: number | null; b: number | null }[] {
  const ma = a.metadata.metrics ?? {}
  const mb = b.metadata.metrics ?? {}
  const names = orderMetricNames([...Object.keys(ma), ...Object.keys(mb)])
  return names.map((name) => ({ name, a: ma[name] ?? null, b: mb[name] ?? null }))
}

function differingParams(a: ModelVersion, b: ModelVersion): { name: string; a: string; b: string }[] {
  const pa = a.metadata.params ?? {}
  const pb = b.metadata.params ?? {}
  const shown = (value: unknown) => (value === undefined ? '—' : typeof value === 'string' ? value : JSON.stringify(value))
  const rows = [{ name: 'algorithm', a: a.metadata.algorithm, b: b.metadata.algorithm }]
  for (const name of [...new Set([...Object.keys(pa), ...Object.keys(pb)])].sort()) rows.push({ name, a: shown(pa[name]), b: shown(pb[name]) })
  return rows.filter((row) => row.a !== row.b)
}

export function CompareView({ a, b }: { a: ModelVersion; b: ModelVersion }) {
  const metrics = comparedMetrics(a, b)
  // counts like epochs are listed in the table but not charted: a longer bar there is neither better nor worse
  const both = metrics.filter((m): m is ComparedMetric => m.a !== null && m.b !== null && !isNeutralMetric(m.name))
  const params = differingParams(a, b)
  if (metrics.length === 0 && params.length === 0) {
    return <p className="text-sm text-zinc-500">Neither version has metrics to compare (an imported file carries none), and they were trained the same way.</p>
  }
  return (
    <div className="flex flex-wrap items-start gap-6" data-testid="compare-view">
      <div className="card overflow-hidden">
        <table className="text-sm">
          <TableHead density="compact" cells={[{ label: 'Metric' }, { label: <Swatch colour={colours.a} version={a.version} />, align: 'right' }, { label: <Swatch colour={colours.b} version={b.version} />, align: 'right' }, { label: 'Difference', align: 'right' }]} />
          <tbody className="divide-y divide-zinc-100">
            {metrics.map((m) => {
              const delta = m.a !== null && m.b !== null ? m.b - m.a : null
              const better = delta === null ? null : improved(m.name, delta)
              return (
                <tr key={m.name} data-testid={`compare-metric-${m.name}`}>
                  <td className="px-3 py-1.5 text-zinc-600">{metricLabel(m.name)}</td>
                  <td className="px-3 py-1.5 text-right tabular-nums">{m.a === null ? '—' : formatMetric(m.a)}</td>
                  <td className="px-3 py-1.5 text-right tabular-nums">{m.b === null ? '—' : formatMetric(m.b)}</td>
                  <td className={clsx('px-3 py-1.5 text-right font-medium tabular-nums', better === true && 'text-green-700', better === false && 'text-red-700', better === null && 'text-zinc-500')} data-better={better === null ? undefined : String(better)}>
                    {delta === null ? '—' : formatDelta(delta)}
                  </td>
                </tr>
              )
            })}
            {params.length > 0 ? (
              <tr>
                <td colSpan={4} className="bg-zinc-50 px-3 pt-2.5 pb-1 text-xs font-medium tracking-wide text-zinc-500 uppercase">
                  How they were trained (what differs)
                </td>
              </tr>
            ) : null}
            {params.map((p) => (
              <tr key={`param-${p.name}`} data-testid={`compare-param-${p.name}`}>
                <td className="px-3 py-1.5 text-zinc-500">{p.name}</td>
                <td className="max-w-48 truncate px-3 py-1.5 text-right font-mono text-xs" title={p.a}>{p.a}</td>
                <td className="max-w-48 truncate px-3 py-1.5 text-right font-mono text-xs" title={p.b}>{p.b}</td>
                <td className="px-3 py-1.5 text-right text-xs text-zinc-400">changed</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <CompareChart metrics={both} a={a.version} b={b.version} />
    </div>
  )
}

function Swatch({ colour, version }: { colour: string; version: number }) {
  return (
    <span className="inline-flex items-center gap-1 normal-case">
      <span className="inline-block size-2.5 rounded-sm" style={{ background: colour }} aria-hidden />
      <span className="font-mono">v{version}</span>
    </span>
  )
}
