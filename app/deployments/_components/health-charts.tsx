'use client'
import { Alert } from '@/app/_components/alert'
import { formatRate, healthMetrics, metricInfo, seriesOf, type Health, type HealthMetric } from './health'
import { Sparkline } from './sparkline'
import { useHealth } from './use-health'

const width = 260
const height = 72

/** Each series' top value, written on the chart so a flat line is not mistaken for zero. */
function ceilingText(metric: HealthMetric, values: readonly (number | null)[]): string {
  const top = Math.max(0, ...values.filter((v): v is number => v !== null))
  if (metric === 'errors' || metric === 'fallbacks') return 'scale 0–100%'
  if (metric === 'p95') return `peak ${Math.round(top)} ms`
  return `peak ${formatRate(top)} req/s`
}

function explanation(health: Health | null): string {
  const processes = health?.processes ?? 0
  const from = processes === 0 ? 'every serving process' : processes === 1 ? 'the one serving process that answered' : `the ${processes} serving processes that answered`
  return `The numbers are the last 30 seconds, added up over ${from}; the lines are the last 5 minutes, one point per 5 s, ending a few seconds ago (each process writes its counts every 2 s). Refreshed every 2 seconds.`
}

/** The deployment page's live health: four larger charts over the last five minutes, refreshed every 2 s. */
export function HealthCharts({ name }: { name: string }) {
  const { health, error } = useHealth(name)
  return (
    <div className="space-y-3">
      {error ? <Alert tone="warning">Live health is not updating: {error}</Alert> : null}
      <div className="grid gap-4 sm:grid-cols-2 xl:grid-cols-4" data-testid="health-charts">
        {healthMetrics.map((metric) => {
          const info = metricInfo[metric]
          const values = health ? seriesOf(health, metric, health.bucketSeconds) : []
          return (
            <div key={metric} className="card p-4" data-testid={`health-${metric}`}>
              <div className="flex items-baseline justify-between gap-2">
                <span className="text-xs font-medium tracking-wide text-zinc-500 uppercase">{info.label}</span>
                <span className="text-xl font-semibold tabular-nums text-zinc-900" data-testid={`health-${metric}-value`}>
                  {health ? info.value(health) : '…'}
                </span>
              </div>
              <div className="mt-3">
                <Sparkline values={values} width={width} height={height} colour={info.colour} max={metric === 'errors' || metric === 'fallbacks' ? 1 : undefined} label={`${info.label} over the last 5 minutes`} fluid />
              </div>
              <div className="mt-1 flex justify-between text-[11px] text-zinc-400">
                <span>5 min ago</span>
                <span>{health ? ceilingText(metric, values) : ''}</span>
                <span>now</span>
              </div>
            </div>
          )
        })}
      </div>
      <p className="text-xs text-zinc-500" data-testid="health-explained">{explanation(health)}</p>
    </div>
  )
}
