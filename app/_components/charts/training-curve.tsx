// A step's live training chart: losses on one chart, the validation metric on another (they have
// different scales), from the curve points the executor reports.
import type { CurvePoint } from '@/nodes/contract'
import { LineChart, type Series } from './line-chart'

const colours: Record<string, string> = { train_loss: '#6366f1', val_loss: '#f59e0b' }
const metricColour = '#10b981'

function series(curve: readonly CurvePoint[], name: string, colour: string, dashed = false): Series | null {
  const points = curve.flatMap((p) => (typeof p[name] === 'number' ? [{ x: p.step, y: p[name]! }] : []))
  return points.length > 0 ? { name: name.replaceAll('_', ' '), points, colour, dashed } : null
}

export function TrainingCurve({ curve, width = 420 }: { curve: readonly CurvePoint[]; width?: number }) {
  if (curve.length === 0) return null
  const names = [...new Set(curve.flatMap((p) => Object.keys(p)))].filter((k) => k !== 'step')
  const losses = names.filter((n) => n.endsWith('loss')).flatMap((n) => series(curve, n, colours[n] ?? '#64748b', n.startsWith('val')) ?? [])
  const metrics = names.filter((n) => !n.endsWith('loss')).flatMap((n) => series(curve, n, metricColour) ?? [])
  const last = curve.at(-1)!
  return (
    <div className="flex flex-wrap gap-4" data-testid="training-curve" data-points={curve.length}>
      {losses.length > 0 ? <LineChart series={losses} width={width} height={180} xLabel="epoch" testId="training-curve-loss" /> : null}
      {metrics.length > 0 ? <LineChart series={metrics} width={width} height={180} xLabel="epoch" testId="training-curve-metric" /> : null}
      <p className="w-full text-xs text-zinc-500">
        epoch {last.step}
        {names.map((n) => (typeof last[n] === 'number' ? ` · ${n.replaceAll('_', ' ')} ${Number(last[n]!.toPrecision(4))}` : '')).join('')}
      </p>
    </div>
  )
}
