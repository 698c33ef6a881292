import type { Metadata } from 'next'
import Link from 'next/link'
import { ScrollText } from 'lucide-react'
import { ZodError } from 'zod'
import { Alert } from '@/app/_components/alert'
import { EmptyState } from '@/app/_components/empty-state'
import { PageHeader } from '@/app/_components/page-header'
import { listAudit, type AuditPage } from '@/server/audit/list'
import { parseAuditQuery } from '@/server/audit/query'
import { requirePageActor } from '@/server/http/page-auth'
import { AuditFilters, type FilterValues } from './_components/audit-filters'
import { AuditTable } from './_components/audit-table'

export const dynamic = 'force-dynamic'
export const metadata: Metadata = { title: 'Audit log' }

const pageSize = 50
const filterKeys = ['actor', 'action', 'outcome', 'from', 'to'] as const

type SearchParams = Promise<Record<string, string | string[] | undefined>>

/** Who changed what, when, from which client; admins only, read-only like the log itself. */
export default async function AuditPage({ searchParams }: { searchParams: SearchParams }) {
  const { services } = await requirePageActor('audit:read')

  const params = firstValues(await searchParams)
  const values = Object.fromEntries(filterKeys.map((key) => [key, params.get(key) ?? ''])) as unknown as FilterValues
  const filters = new URLSearchParams(filterKeys.flatMap((key) => (values[key] ? [[key, values[key]]] : [])))
  let page: AuditPage | null = null
  let problem: string | null = null
  try {
    const query = parseAuditQuery(params)
    page = await listAudit(services.db, { ...query, limit: pageSize })
  } catch (error) {
    if (!(error instanceof ZodError)) throw error
    problem = error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; ')
  }

  return (
    <>
      <PageHeader
        title="Audit log"
        description="Every change to pipelines, runs, users, roles, tokens, use cases and rating links: who, when, what, and from which client (a browser session or an API token). Refused attempts are kept too. Nothing here can be edited or deleted."
      />
      <AuditFilters values={values} csvHref={`/api/v1/audit/csv${filters.size ? `?${filters}` : ''}`} />
      {problem ? (
        <Alert title="These filters do not work" testId="audit-problem">
          {problem}
        </Alert>
      ) : page && page.entries.length === 0 ? (
        <EmptyState icon={<ScrollText className="size-6" aria-hidden />} title={filters.size ? 'No entries match these filters' : 'Nothing recorded yet'}>
          {filters.size ? <Link href="/audit" className="link">Show every entry</Link> : 'Changes appear here as people make them.'}
        </EmptyState>
      ) : page ? (
        <>
          <AuditTable entries={page.entries} />
          <Pager filters={filters} next={page.next} paged={params.has('cursor')} />
        </>
      ) : null}
    </>
  )
}

function Pager({ filters, next, paged }: { filters: URLSearchParams; next: string | null; paged: boolean }) {
  const withCursor = (cursor: string) => `/audit?${new URLSearchParams([...filters, ['cursor', cursor]])}`
  if (!next && !paged) return null
  return (
    <nav className="mt-3 flex items-center justify-between text-sm" aria-label="Pages">
      {paged ? (
        <Link href={`/audit${filters.size ? `?${filters}` : ''}`} className="link">
          ← Newest entries
        </Link>
      ) : (
        <span />
      )}
      {next ? (
        <Link href={withCursor(next)} className="btn-secondary" data-testid="audit-older">
          Older entries →
        </Link>
      ) : (
        <span className="text-zinc-500">That is the oldest entry.</span>
      )}
    </nav>
  )
}

/** `?a=1&a=2` keeps the first: the filters take one value each. */
function firstValues(search: Record<string, string | string[] | undefined>): URLSearchParams {
  const params = new URLSearchParams()
  for (const [key, value] of Object.entries(search)) {
    const first = Array.isArray(value) ? value[0] : value
    if (first !== undefined) params.set(key, first)
  }
  return params
}
