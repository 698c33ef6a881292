'use client'
import { Alert } from '@/app/_components/alert'
import { healthMetrics, metricInfo, seriesOf, type HealthMetric } from './health'
import { Sparkline } from './sparkline'
import { useHealth } from './use-health'

const width = 260
const height = 72

/** Each series' top value, written on the chart so a flat line is not mistaken for zero. */
function ceilingText(metric: HealthMetric, values: readonly (number | null)[]): string {
  const top = Math.max(0, ...values.filter((v): v is number => v !== null))
  if (metric === 'errors' || metric === 'fallbacks') return 'scale 0–100%'
  if (metric === 'p95') return `peak ${Math.round(top)} ms`
  return `peak ${top} req/s`
}

/** The deployment page's live health: four larger charts over the last two minutes, refreshed every 2 s. */
export function HealthCharts({ name }: { name: string }) {
  const { health, error } = useHealth(name)
  return (
    <div className="space-y-3">
      {error ? <Alert tone="warning">Live health is not updating: {error}</Alert> : null}
      <div className="grid gap-4 sm:grid-cols-2 xl:grid-cols-4" data-testid="health-charts">
        {healthMetrics.map((metric) => {
          const info = metricInfo[metric]
          const values = health ? seriesOf(health, metric) : []
          return (
            <div key={metric} className="card p-4" data-testid={`health-${metric}`}>
              <div className="flex items-baseline justify-between gap-2">
                <span className="text-xs font-medium tracking-wide text-zinc-500 uppercase">{info.label}</span>
                <span className="text-xl font-semibold tabular-nums text-zinc-900" data-testid={`health-${metric}-value`}>
                  {health ? info.value(health) : '…'}
                </span>
              </div>
              <div className="mt-3">
                <Sparkline values={values} width={width} height={height} colour={info.colour} max={metric === 'errors' || metric === 'fallbacks' ? 1 : undefined} label={`${info.label} over the last 2 minutes`} fluid />
              </div>
              <div className="mt-1 flex justify-between text-[11px] text-zinc-400">
                <span>2 min ago</span>
                <span>{health ? ceilingText(metric, values) : ''}</span>
                <span>now</span>
              </div>
            </div>
          )
        })}
      </div>
      <p className="text-xs text-zinc-500">The numbers are the last 10 seconds in this server process; the lines are the last 2 minutes, one point a second. Refreshed every 2 seconds.</p>
    </div>
  )
}
