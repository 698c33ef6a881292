import type { Db } from '@/db'
import { listAudit, type AuditEntry } from './list'
import { auditCursor, type AuditQuery } from './query'

/**
 * The log as CSV for a spreadsheet or an auditor: RFC 4180 quoting, CRLF line ends, the same
 * filters as the page. A cell a spreadsheet would run as a formula (CWE-1236) gets a leading
 * apostrophe, as the use-case export does: actors, targets and details carry user-typed text.
 */
export const auditCsvColumns = ['id', 'at', 'actor', 'client', 'action', 'target', 'outcome', 'details'] as const

const formulaStart = /^[=+\-@\t\r']/
const pageSize = 1000

export function auditCsvHeader(): string {
  return csvLine([...auditCsvColumns])
}

export function auditCsvRow(entry: AuditEntry): string {
  return csvLine([String(entry.id), entry.at.toISOString(), entry.actor, entry.client, entry.action, entry.target, entry.outcome, JSON.stringify(entry.details)])
}

function csvLine(cells: string[]): string {
  return cells.map(csvCell).join(',') + '\r\n'
}

export function csvCell(value: string): string {
  const text = formulaStart.test(value) ? `'${value}` : value
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text
}

/** Every matching entry, a page at a time: a long log streams instead of filling memory. */
export function auditCsvStream(db: Db, query: AuditQuery): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder()
  let cursor = query.cursor
  let done = false
  return new ReadableStream({
    start(controller) {
      controller.enqueue(encoder.encode(auditCsvHeader()))
    },
    async pull(controller) {
      if (done) return controller.close()
      const page = await listAudit(db, { ...query, cursor, limit: pageSize })
      if (page.entries.length > 0) controller.enqueue(encoder.encode(page.entries.map(auditCsvRow).join('')))
      if (!page.next) {
        done = true
        return controller.close()
      }
      cursor = auditCursor.parse(page.next)
    },
  })
}
