/** Median and spread of the ratings on a 1–10 line: whiskers min–max, box q1–q3, a tick at the median. */
export function RatingsSpread({ ratings }: { ratings: { count: number; median: number | null; min: number | null; max: number | null; q1: number | null; q3: number | null } }) {
  if (ratings.count === 0 || ratings.median === null) return <p className="text-sm text-zinc-500">No ratings yet.</p>
  const at = (v: number) => `${((v - 1) / 9) * 100}%`
  return (
    <div data-testid="ratings-spread">
      <p className="text-sm text-zinc-700">
        Median <b data-testid="ratings-median">{ratings.median}</b> of {ratings.count} {ratings.count === 1 ? 'rating' : 'ratings'} · spread{' '}
        <b data-testid="ratings-range">{ratings.min}–{ratings.max}</b>
        {ratings.count > 2 ? ` (middle half ${ratings.q1}–${ratings.q3})` : ''}
        {ratings.max! - ratings.min! >= 4 ? <span className="ml-2 text-amber-700">raters disagree</span> : null}
      </p>
      <div className="relative mt-3 h-6" aria-hidden>
        <div className="absolute inset-x-0 top-3 h-px bg-zinc-300" />
        <div className="absolute top-2 h-2 bg-zinc-400" style={{ left: at(ratings.min!), width: `calc(${at(ratings.max!)} - ${at(ratings.min!)})` }} />
        <div className="absolute top-1 h-4 rounded bg-accent-200" style={{ left: at(ratings.q1!), width: `calc(${at(ratings.q3!)} - ${at(ratings.q1!)} + 2px)` }} />
        <div className="absolute top-0 h-6 w-0.5 bg-accent-700" style={{ left: at(ratings.median) }} />
        {[1, 5, 10].map((v) => (
          <span key={v} className="absolute top-6 -translate-x-1/2 text-[10px] text-zinc-500" style={{ left: at(v) }}>{v}</span>
        ))}
      </div>
    </div>
  )
}
