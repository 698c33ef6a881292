import Link from 'next/link'
import { auditActions, auditNouns } from '@/server/audit/actions'
import { actionLabel } from './describe-entry'

export interface FilterValues {
  actor: string
  action: string
  outcome: string
  from: string
  to: string
}

/** A plain GET form: the filters live in the address, so a filtered view can be bookmarked and shared. */
export function AuditFilters({ values, csvHref }: { values: FilterValues; csvHref: string }) {
  return (
    <form method="get" action="/audit" className="card mb-4 flex flex-wrap items-end gap-3 p-3" data-testid="audit-filters">
      <label className="min-w-48 flex-1 text-sm">
        <span className="mb-1 block font-medium text-zinc-700">Who</span>
        <input name="actor" defaultValue={values.actor} placeholder="e-mail or part of it" className="input" maxLength={200} />
      </label>
      <label className="min-w-56 text-sm">
        <span className="mb-1 block font-medium text-zinc-700">What</span>
        <select name="action" defaultValue={values.action} className="input" data-testid="audit-action">
          <option value="">every action</option>
          <optgroup label="All actions on">
            {auditNouns.map((noun) => (
              <option key={noun} value={noun}>
                {noun} (all)
              </option>
            ))}
          </optgroup>
          <optgroup label="One action">
            {auditActions.map((action) => (
              <option key={action} value={action}>
                {action} — {actionLabel(action)}
              </option>
            ))}
          </optgroup>
        </select>
      </label>
      <label className="text-sm">
        <span className="mb-1 block font-medium text-zinc-700">Outcome</span>
        <select name="outcome" defaultValue={values.outcome} className="input">
          <option value="">any</option>
          <option value="ok">done</option>
          <option value="refused">refused</option>
        </select>
      </label>
      <label className="text-sm">
        <span className="mb-1 block font-medium text-zinc-700">From (UTC)</span>
        <input type="date" name="from" defaultValue={values.from} className="input" />
      </label>
      <label className="text-sm">
        <span className="mb-1 block font-medium text-zinc-700">To (UTC, inclusive)</span>
        <input type="date" name="to" defaultValue={values.to} className="input" />
      </label>
      <div className="flex gap-2">
        <button type="submit" className="btn-primary" data-testid="audit-filter">
          Filter
        </button>
        <Link href="/audit" className="btn-secondary">
          Clear
        </Link>
        <a href={csvHref} className="btn-secondary" data-testid="audit-csv" download>
          Export CSV
        </a>
      </div>
    </form>
  )
}
