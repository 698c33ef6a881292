import type { UseCaseStatus } from '@/server/use-cases/model'

/** One colour per life-cycle stage, shared by the table's badges and the chart's bubbles. */
export const statusColors: Record<UseCaseStatus, { fill: string; badge: string }> = {
  idea: { fill: '#a1a1aa', badge: 'bg-zinc-100 text-zinc-700 ring-zinc-300' },
  data: { fill: '#f59e0b', badge: 'bg-amber-50 text-amber-800 ring-amber-200' },
  model: { fill: '#3b82f6', badge: 'bg-blue-50 text-blue-700 ring-blue-200' },
  deployed: { fill: '#22c55e', badge: 'bg-green-50 text-green-700 ring-green-200' },
  monitored: { fill: '#14b8a6', badge: 'bg-teal-50 text-teal-700 ring-teal-200' },
  retired: { fill: '#d4d4d8', badge: 'bg-zinc-50 text-zinc-400 ring-zinc-200' },
}

export function StatusPill({ status }: { status: UseCaseStatus }) {
  return (
    <span className={`inline-flex rounded-full px-2 py-0.5 text-xs font-medium ring-1 ring-inset ${statusColors[status].badge}`}>{status}</span>
  )
}
