/** Formatting shared by server and client components. Pure functions: no locale state. */

export type DateLike = Date | string | number | null | undefined

export function toDate(value: DateLike): Date | null {
  if (value === null || value === undefined || value === '') return null
  const date = value instanceof Date ? value : new Date(value)
  return Number.isNaN(date.getTime()) ? null : date
}

/** 420 ms · 12.3 s · 4m 05s · 1h 02m */
export function formatDuration(ms: number | null | undefined): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms) || ms < 0) return '—'
  if (ms < 1000) return `${Math.round(ms)} ms`
  const seconds = ms / 1000
  if (seconds < 60) return `${seconds.toFixed(seconds < 10 ? 1 : 0)} s`
  const totalSeconds = Math.floor(seconds)
  const h = Math.floor(totalSeconds / 3600)
  const m = Math.floor((totalSeconds % 3600) / 60)
  const s = totalSeconds % 60
  if (h > 0) return `${h}h ${String(m).padStart(2, '0')}m`
  return `${m}m ${String(s).padStart(2, '0')}s`
}

/** The time between two moments, or until `now` while the second is missing. */
export function durationBetween(start: DateLike, end: DateLike, now: number = Date.now()): number | null {
  const from = toDate(start)
  if (!from) return null
  const to = toDate(end)?.getTime() ?? now
  return Math.max(0, to - from.getTime())
}

/** just now · 42 s ago · 5 min ago · 3 h ago · 2 d ago · then the date */
export function formatRelative(value: DateLike, now: number = Date.now()): string {
  const date = toDate(value)
  if (!date) return '—'
  const diff = Math.round((now - date.getTime()) / 1000)
  if (diff < 5) return 'just now'
  if (diff < 60) return `${diff} s ago`
  if (diff < 3600) return `${Math.floor(diff / 60)} min ago`
  if (diff < 86_400) return `${Math.floor(diff / 3600)} h ago`
  if (diff < 30 * 86_400) return `${Math.floor(diff / 86_400)} d ago`
  return formatDate(date)
}

export function formatDate(value: DateLike): string {
  const date = toDate(value)
  return date ? date.toLocaleDateString('en-GB', { day: 'numeric', month: 'short', year: 'numeric' }) : '—'
}

export function formatDateTime(value: DateLike): string {
  const date = toDate(value)
  if (!date) return '—'
  return date.toLocaleString('en-GB', {
    day: 'numeric',
    month: 'short',
    year: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  })
}

export function formatClock(value: DateLike): string {
  const date = toDate(value)
  if (!date) return ''
  const ms = String(date.getMilliseconds()).padStart(3, '0')
  return `${date.toLocaleTimeString('en-GB', { hour12: false })}.${ms}`
}

export function formatBytes(bytes: number | null | undefined): string {
  if (bytes === null || bytes === undefined || !Number.isFinite(bytes)) return '—'
  const units = ['B', 'KB', 'MB', 'GB', 'TB']
  let value = bytes
  let unit = 0
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024
    unit++
  }
  return `${unit === 0 ? value : value.toFixed(value < 10 ? 1 : 0)} ${units[unit]}`
}

export function formatNumber(value: number | null | undefined, maxFractionDigits = 2, grouping = true): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return '—'
  const shown = value.toLocaleString('en-US', { maximumFractionDigits: maxFractionDigits, useGrouping: grouping })
  return shown === '-0' ? '0' : shown // a mean of -0.0000001 is 0 to the reader, not "-0"
}

export function formatPercent(fraction: number, digits = 1): string {
  if (!Number.isFinite(fraction)) return '—'
  return `${(fraction * 100).toFixed(digits)}%`
}

export function shortId(id: string, length = 8): string {
  return id.length > length ? id.slice(0, length) : id
}
