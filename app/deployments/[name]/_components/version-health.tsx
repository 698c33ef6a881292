'use client'
import clsx from 'clsx'
import { formatMs, formatRate, formatShare, healthMetrics, metricInfo, seriesOf, type Health, type HealthMetric } from '../../_components/health'
import { Sparkline } from '../../_components/sparkline'
import { roleBarClass, roleWords, type ServedVersion } from '../../_components/traffic-split'
import { useHealth } from '../../_components/use-health'
import type { VersionHealth } from '@/server/serving/health-shape'

interface Row {
  version: number
  /** what the version does now, in words; null when it no longer serves */
  role: string | null
  /** the version's colour in the split's bar */
  swatch: string
  shadow: boolean
  health: VersionHealth | undefined
}

/** The served versions in the split's order, then any version still in the charts that no longer serves. */
function rowsOf(versions: readonly ServedVersion[], health: Health | null): Row[] {
  const measured = health?.versions ?? []
  const find = (version: number, shadow: boolean) => measured.find((v) => v.version === version && v.shadow === shadow)
  const served: Row[] = versions.map((v) => ({ version: v.version, role: roleWords(v), swatch: roleBarClass(v.role), shadow: v.role === 'shadow', health: find(v.version, v.role === 'shadow') }))
  const gone = measured
    .filter((m) => !served.some((r) => r.version === m.version && r.shadow === m.shadow))
    .map((m) => ({ version: m.version, role: null, swatch: 'bg-zinc-200', shadow: m.shadow, health: m }))
  return [...served, ...gone]
}

/** A challenger's number against the stable version's, when both have one: what an operator compares. */
function versusStable(metric: HealthMetric, mine: VersionHealth, stable: VersionHealth | undefined): { text: string; worse: boolean } | null {
  if (!stable || stable === mine || mine.requests === 0 || stable.requests === 0) return null
  if (metric === 'p95') {
    if (mine.p95Ms === null || stable.p95Ms === null || stable.p95Ms === 0) return null
    const ratio = mine.p95Ms / stable.p95Ms
    return { text: `${ratio.toFixed(ratio < 10 ? 2 : 0)}× stable`, worse: ratio > 1.2 }
  }
  if (metric === 'errors' || metric === 'fallbacks') {
    const [a, b] = metric === 'errors' ? [mine.errorRate, stable.errorRate] : [mine.fallbackRate, stable.fallbackRate]
    if (a === b) return { text: 'same as stable', worse: false }
    return { text: `stable ${formatShare(b)}`, worse: a > b }
  }
  return null
}

function headline(metric: HealthMetric, health: VersionHealth): string {
  if (metric === 'requests') return formatRate(health.requestsPerSecond)
  if (metric === 'p95') return formatMs(health.p95Ms)
  return formatShare(metric === 'errors' ? health.errorRate : health.fallbackRate)
}

function Cell({ metric, row, stable, bucketSeconds }: { metric: HealthMetric; row: Row; stable: VersionHealth | undefined; bucketSeconds: number }) {
  const info = metricInfo[metric]
  const health = row.health
  if (!health || health.requests === 0) {
    return (
      <td className="px-3 py-2 text-right align-top text-zinc-400" data-testid={`version-health-${metric}`}>
        —
      </td>
    )
  }
  const compared = versusStable(metric, health, stable)
  return (
    <td className="px-3 py-2 text-right align-top" data-testid={`version-health-${metric}`}>
      <div className={clsx('font-medium tabular-nums', compared?.worse ? 'text-red-700' : 'text-zinc-800')} data-testid={`version-health-${metric}-value`}>
        {headline(metric, health)}
      </div>
      <div className="text-[11px] text-zinc-500 tabular-nums">{metric === 'requests' ? `${health.requests.toLocaleString('en')} in 30 s` : (compared?.text ?? '\u00a0')}</div>
      <div className="mt-0.5 flex justify-end">
        <Sparkline values={seriesOf(health, metric, bucketSeconds)} width={72} height={16} colour={info.colour} max={metric === 'errors' || metric === 'fallbacks' ? 1 : undefined} label={`v${row.version} ${info.label} over the last 5 minutes`} />
      </div>
    </td>
  )
}

/**
 * Each version's own live numbers beside the traffic split — so a canary's error rate and p95 sit
 * next to the stable version's — across every serving process, over the last 30 s.
 */
export function VersionHealthTable({ name, versions }: { name: string; versions: readonly ServedVersion[] }) {
  const { health } = useHealth(name)
  const rows = rowsOf(versions, health)
  const stableVersion = versions.find((v) => v.role === 'stable')?.version
  const stable = health?.versions.find((v) => v.version === stableVersion && !v.shadow)
  return (
    <div className="overflow-x-auto">
      <table className="w-full text-sm" data-testid="version-health">
        <caption className="mb-1 text-left text-xs text-zinc-500">Per version, last 30 s, every serving process{health ? '' : ' (loading…)'}</caption>
        <thead>
          <tr className="border-b border-zinc-200 text-xs text-zinc-500">
            <th className="px-3 py-1.5 text-left font-medium">Version</th>
            {healthMetrics.map((metric) => (
              <th key={metric} className="px-3 py-1.5 text-right font-medium">
                {metricInfo[metric].label}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr key={`${row.version}-${row.shadow}`} className={clsx('border-b border-zinc-100 last:border-0', row.role === null && 'text-zinc-500')} data-testid="version-health-row" data-version={row.version} data-shadow={row.shadow}>
              <td className="px-3 py-2 align-top">
                <div className="flex items-center gap-1.5 font-mono font-medium">
                  <span className={clsx('inline-block size-2.5 rounded-sm', row.swatch)} aria-hidden />v{row.version}
                </div>
                <div className="text-xs text-zinc-500">{row.role ?? 'no longer served'}</div>
              </td>
              {healthMetrics.map((metric) => (
                <Cell key={metric} metric={metric} row={row} stable={stable} bucketSeconds={health?.bucketSeconds ?? 5} />
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  )
}
