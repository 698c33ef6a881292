'use client'
import { healthMetrics, metricInfo, seriesOf, type HealthMetric } from './health'
import { Sparkline } from './sparkline'
import { useHealth } from './use-health'

const rateCeiling: Partial<Record<HealthMetric, number>> = { errors: 1, fallbacks: 1 }

/** The four live numbers of one deployment (every serving process) as table cells, each over its 5-minute sparkline. */
export function HealthCells({ name }: { name: string }) {
  const { health, error } = useHealth(name)
  return (
    <>
      {healthMetrics.map((metric) => {
        const info = metricInfo[metric]
        return (
          <td key={metric} className="px-4 py-3 text-right align-top" data-testid={`health-${metric}`} title={error ?? `${info.label}: the last 30 s across every serving process; the line is the last 5 minutes`}>
            <div className="font-medium tabular-nums text-zinc-800" data-testid={`health-${metric}-value`}>
              {health ? info.value(health) : <span className="text-zinc-400">…</span>}
            </div>
            <div className="mt-1 flex justify-end">
              {health ? <Sparkline values={seriesOf(health, metric, health.bucketSeconds)} width={96} height={22} colour={info.colour} max={rateCeiling[metric]} label={`${info.label} over the last 5 minutes`} /> : <span className="h-[22px]" />}
            </div>
          </td>
        )
      })}
    </>
  )
}
