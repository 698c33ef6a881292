'use client'
import { useEffect, useState } from 'react'
import { formatDateTime, formatRelative, toDate, type DateLike } from './format'

/** "5 min ago", kept fresh; the full local date and time on hover. */
export function TimeAgo({ date, className }: { date: DateLike; className?: string }) {
  const [now, setNow] = useState<number | null>(null)
  useEffect(() => {
    setNow(Date.now())
    const timer = setInterval(() => setNow(Date.now()), 15_000)
    return () => clearInterval(timer)
  }, [])
  const parsed = toDate(date)
  if (!parsed) return <span className={className}>—</span>
  return (
    <time
      dateTime={parsed.toISOString()}
      title={now === null ? undefined : formatDateTime(parsed)}
      className={className}
      suppressHydrationWarning
    >
      {formatRelative(parsed, now ?? parsed.getTime() + 60_000)}
    </time>
  )
}

/** A local date and time, rendered in the browser's time zone. */
export function DateTime({ date, className }: { date: DateLike; className?: string }) {
  const [mounted, setMounted] = useState(false)
  useEffect(() => setMounted(true), [])
  const parsed = toDate(date)
  if (!parsed) return <span className={className}>—</span>
  return (
    <time dateTime={parsed.toISOString()} className={className} suppressHydrationWarning>
      {mounted ? formatDateTime(parsed) : parsed.toISOString().slice(0, 16).replace('T', ' ')}
    </time>
  )
}
