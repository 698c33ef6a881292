import type { Metadata } from 'next'
import { Download } from 'lucide-react'
import Link from 'next/link'
import { PageHeader } from '@/app/_components/page-header'
import { can } from '@/server/auth/permissions'
import { requirePageActor } from '@/server/http/page-auth'
import { boardOverview } from '@/server/use-cases/use-cases'
import { UseCaseBoard } from './_components/board'
import { BoardSettingsPanel } from './_components/board-settings'
import { CsvImport } from './_components/csv-import'
import { InviteForm } from './_components/invite-form'
import type { BoardItem } from './_components/types'

export const dynamic = 'force-dynamic'
export const metadata: Metadata = { title: 'Use cases' }

export default async function UseCasesPage() {
  const { actor, services } = await requirePageActor('use-case:read')
  const { settings, items, ranks } = await boardOverview(services.db)
  const canEdit = can(actor, 'use-case:edit')
  const board: BoardItem[] = items.map((item) => ({
    id: item.id,
    title: item.title,
    status: item.status,
    currency: item.currency,
    confidence: item.confidence,
    severity: item.score.severity,
    severitySource: item.score.severitySource,
    ratings: item.ratings,
    tco: item.score.tco.total,
    tcoPartial: item.score.tco.partial,
    score: item.score.value,
    explain: item.score.explain,
    rank: { pain: ranks.pain.get(item.id) ?? 0, 'quick-win': ranks['quick-win'].get(item.id) ?? 0 },
  }))
  const currencies = new Set(items.map((i) => i.currency))
  return (
    <>
      <PageHeader
        title="Use cases"
        description="Candidate ML use cases, ranked two ways: the biggest pain first, or the quickest win. Hover a score to see how it was computed; open a use case to rate it."
        actions={
          canEdit ? (
            <Link href="/use-cases/new" className="btn-primary" data-testid="new-use-case">
              New use case
            </Link>
          ) : null
        }
        meta={currencies.size > 1 ? <span className="text-amber-700">Costs are in several currencies ({[...currencies].join(', ')}): rankings compare them as plain numbers.</span> : undefined}
      />
      <div className="mb-6 flex flex-wrap items-start gap-2">
        <BoardSettingsPanel settings={settings} canEdit={canEdit} />
        <a href="/api/v1/use-cases/csv" className="btn-secondary" download data-testid="csv-export">
          <Download className="size-4" aria-hidden /> Export CSV
        </a>
        {canEdit ? <CsvImport /> : null}
        {canEdit ? <InviteForm /> : null}
      </div>
      <UseCaseBoard items={board} method={settings.method} />
    </>
  )
}
