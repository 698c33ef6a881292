import type { Metadata } from 'next'
import Link from 'next/link'
import { PageHeader } from '@/app/_components/page-header'
import { can } from '@/server/auth/permissions'
import { requirePageActor } from '@/server/http/page-auth'
import { listUseCases, rankedUseCases } from '@/server/use-cases/use-cases'
import { UseCaseBoard } from './_components/board'
import type { BoardItem } from './_components/types'

export const dynamic = 'force-dynamic'
export const metadata: Metadata = { title: 'Use cases' }

export default async function UseCasesPage() {
  const { actor, services } = await requirePageActor('use-case:read')
  const [items, pain, quickWin] = await Promise.all([listUseCases(services.db), rankedUseCases(services.db, 'pain'), rankedUseCases(services.db, 'quick-win')])
  const rankOf = (list: typeof pain) => new Map(list.map((r) => [r.id, r.rank]))
  const [painRank, quickRank] = [rankOf(pain), rankOf(quickWin)]
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
    rank: { pain: painRank.get(item.id) ?? 0, 'quick-win': quickRank.get(item.id) ?? 0 },
  }))
  const currencies = new Set(items.map((i) => i.currency))
  return (
    <>
      <PageHeader
        title="Use cases"
        description="Candidate ML use cases, ranked two ways: the biggest pain first, or the quickest win (severity per cost of ownership over 3 years). Hover a score to see how it was computed."
        actions={
          can(actor, 'use-case:edit') ? (
            <Link href="/use-cases/new" className="btn-primary" data-testid="new-use-case">
              New use case
            </Link>
          ) : null
        }
        meta={currencies.size > 1 ? <span className="text-amber-700">Costs are in several currencies ({[...currencies].join(', ')}): rankings compare them as plain numbers.</span> : undefined}
      />
      <UseCaseBoard items={board} />
    </>
  )
}
