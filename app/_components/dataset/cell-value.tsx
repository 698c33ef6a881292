'use client'
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
      <span className="inline-flex gap-1">
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
