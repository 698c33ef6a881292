import { auditActionLabels, type AuditAction } from '@/server/audit/actions'

/** Words for what an entry says, shared by the table's cells. Pure: no React, no database. */

export function actionLabel(action: string): string {
  return auditActionLabels[action as AuditAction] ?? action
}

/** `version 2 · message "tighter"`: the first few details, each short, so a row stays one line. */
export function detailsSummary(details: Record<string, unknown>, maxParts = 3): string {
  const parts = Object.entries(details)
    .filter(([, value]) => value !== undefined && value !== null && value !== '')
    .map(([key, value]) => `${words(key)} ${shortTarget(short(value))}`)
  const shown = parts.slice(0, maxParts).join(' · ')
  return parts.length > maxParts ? `${shown} · +${parts.length - maxParts} more` : shown
}

function words(key: string): string {
  return key.replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase()
}

function short(value: unknown): string {
  const text = typeof value === 'string' ? value : JSON.stringify(value)
  return text.length > 60 ? `${text.slice(0, 57)}…` : text
}

const targetPages: Array<[RegExp, (id: string) => string]> = [
  [/^pipeline ([0-9a-f-]{36})$/, (id) => `/pipelines/${id}`],
  [/^run ([0-9a-f-]{36})$/, (id) => `/runs/${id}`],
  [/^use case ([0-9a-f-]{36})$/, (id) => `/use-cases/${id}`],
]

/** The page of what the entry acted on, when it has one (a deleted use case's link will 404, which is true). */
export function targetHref(target: string): string | null {
  for (const [pattern, href] of targetPages) {
    const id = pattern.exec(target)?.[1]
    if (id) return href(id)
  }
  return null
}

/** Long ids shortened for reading; the cell's title keeps the whole target. */
export function shortTarget(target: string): string {
  return target.replace(/\b([0-9a-f]{8})[0-9a-f-]{28}\b/g, '$1…').replace(/\b([0-9a-f]{12})[0-9a-f]{52}\b/g, '$1…')
}

/** Times in UTC, the same zone the from/to filters and the CSV use. */
export function formatUtc(at: Date): string {
  return `${at.toISOString().slice(0, 19).replace('T', ' ')} UTC`
}
