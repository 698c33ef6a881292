import clsx from 'clsx'

/** One value of a dataset as a table shows it: nulls muted, numbers aligned, lists as chips. */
export function CellValue({ value }: { value: unknown }) {
  if (value === null || value === undefined) return <span className="text-zinc-400 italic">null</span>
  if (typeof value === 'boolean') return <span className={value ? 'text-green-700' : 'text-zinc-600'}>{String(value)}</span>
  if (typeof value === 'number') return <span className="tabular-nums">{String(value)}</span>
  if (typeof value === 'string') {
    if (value === '') return <span className="text-zinc-400 italic">empty</span>
    return <span className="whitespace-pre">{value.length > 200 ? `${value.slice(0, 199)}…` : value}</span>
  }
  if (Array.isArray(value)) {
    return (
      <span className="inline-flex flex-wrap gap-1">
        {value.length === 0 ? <span className="text-zinc-400">[]</span> : null}
        {value.map((item, i) => (
          <span key={i} className="rounded bg-zinc-100 px-1 text-zinc-700">
            {item === null ? 'null' : typeof item === 'object' ? JSON.stringify(item) : String(item)}
          </span>
        ))}
      </span>
    )
  }
  return <span className="font-mono text-zinc-600">{JSON.stringify(value)}</span>
}

export function isNumericValue(value: unknown): boolean {
  return typeof value === 'number'
}

/** Why a quarantined row was quarantined: one red chip per broken rule. */
export function ReasonChips({ value }: { value: unknown }) {
  const reasons = Array.isArray(value) ? value.map(String) : value === null || value === undefined ? [] : [String(value)]
  return (
    <span className="flex flex-wrap gap-1">
      {reasons.map((reason, i) => (
        <span
          key={i}
          className={clsx('rounded-md bg-red-50 px-1.5 py-0.5 text-xs font-medium text-red-700 ring-1 ring-red-200 ring-inset')}
        >
          {reason}
        </span>
      ))}
    </span>
  )
}
