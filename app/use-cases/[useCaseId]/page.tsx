import type { Metadata } from 'next'
import Link from 'next/link'
import { PageHeader, Section } from '@/app/_components/page-header'
import { TimeAgo } from '@/app/_components/time-ago'
import { orNotFound, requireUuidParam } from '@/app/_lib/not-found'
import { can } from '@/server/auth/permissions'
import { requirePageActor } from '@/server/http/page-auth'
import { deploymentsOfPipelines } from '@/server/deployments/browse'
import { listPipelines } from '@/server/pipelines/pipelines'
import { useCaseStatuses } from '@/server/use-cases/model'
import { getUseCase } from '@/server/use-cases/use-cases'
import { InviteForm } from '../_components/invite-form'
import { StatusPill } from '../_components/status-colors'
import { LinkedPipelines } from './_components/linked-pipelines'
import { RateForm } from './_components/rate-form'
import { RatingsSpread } from './_components/ratings-spread'
import { SeverityOverride } from './_components/severity-override'
import { UseCaseDeployments } from './_components/use-case-deployments'

export const dynamic = 'force-dynamic'
export const metadata: Metadata = { title: 'Use case' }

type Params = { params: Promise<{ useCaseId: string }> }

function money(value: number | null, currency: string) {
  return value === null ? '—' : `${value.toLocaleString('en')} ${currency}`
}

export default async function UseCasePage({ params }: Params) {
  const id = requireUuidParam((await params).useCaseId)
  const { actor, services } = await requirePageActor('use-case:read')
  const useCase = await orNotFound(getUseCase(services.db, id))
  const canEdit = can(actor, 'use-case:edit')
  const pipelines = canEdit ? await listPipelines(services.db) : []
  const deployments = await deploymentsOfPipelines(services.db, useCase.pipelines.map((p) => p.id))
  const stage = useCaseStatuses.indexOf(useCase.status)
  return (
    <>
      <PageHeader
        trail={[{ href: '/use-cases', label: 'Use cases' }]}
        title={useCase.title}
        description={useCase.problem || undefined}
        meta={<StatusPill status={useCase.status} />}
        actions={
          canEdit ? (
            <Link href={`/use-cases/${useCase.id}/edit`} className="btn-secondary" data-testid="edit-use-case">
              Edit
            </Link>
          ) : null
        }
      />
      <ol className="mb-8 flex flex-wrap gap-1 text-xs" aria-label="Life cycle">
        {useCaseStatuses.map((s, i) => (
          <li key={s} aria-current={i === stage ? 'step' : undefined} className={i === stage ? 'rounded bg-accent-600 px-2 py-1 font-semibold text-white' : i < stage ? 'rounded bg-accent-50 px-2 py-1 text-accent-700' : 'rounded bg-zinc-100 px-2 py-1 text-zinc-500'}>
            {s}
          </li>
        ))}
      </ol>
      {useCase.pipelines.length > 0 ? (
        <Section title="Deployments" className="mb-8">
          <UseCaseDeployments deployments={deployments} pipelineNames={new Map(useCase.pipelines.map((p) => [p.id, p.name]))} />
        </Section>
      ) : null}
      <div className="grid gap-8 lg:grid-cols-2">
        <Section title="Severity">
          <div className="space-y-4 p-4">
            <p className="text-sm">
              Counts as <b className="text-lg" data-testid="effective-severity">{useCase.score.severity ?? '—'}</b>{' '}
              <span className="text-zinc-500">
                {useCase.score.severitySource === 'override'
                  ? `(set by the PM: ${useCase.severityOverride?.reason})`
                  : useCase.score.severitySource === 'ratings'
                    ? '(the median of the ratings)'
                    : useCase.score.severitySource === 'estimate'
                      ? "(the PM's estimate, until someone rates it)"
                      : '(unknown: rate it)'}
              </span>
            </p>
            {canEdit ? <SeverityOverride useCaseId={useCase.id} current={useCase.severityOverride} /> : null}
            <RatingsSpread ratings={useCase.ratings} />
            <ul className="divide-y divide-zinc-100 text-sm" data-testid="rating-list">
              {useCase.ratingList.map((r, i) => (
                <li key={i} className="py-1.5">
                  <b>{r.severity}</b> · {r.raterName}
                  {r.viaLink ? <span className="ml-1 rounded bg-zinc-100 px-1 text-xs text-zinc-500">via link</span> : null}
                  {r.comment ? <span className="text-zinc-600"> — {r.comment}</span> : null} <TimeAgo date={r.at} className="text-xs text-zinc-400" />
                </li>
              ))}
            </ul>
            <RateForm useCaseId={useCase.id} />
            {canEdit ? <InviteForm useCaseId={useCase.id} /> : null}
          </div>
        </Section>
        <Section title="Cost and score">
          <dl className="grid grid-cols-2 gap-x-4 gap-y-2 p-4 text-sm">
            <dt className="text-zinc-500">Development (one-off)</dt><dd>{money(useCase.devCost, useCase.currency)}</dd>
            <dt className="text-zinc-500">Production (per month)</dt><dd>{money(useCase.prodCostMonthly, useCase.currency)}</dd>
            <dt className="text-zinc-500">Maintenance (per year)</dt><dd>{money(useCase.maintenanceCostYearly, useCase.currency)}</dd>
            <dt className="text-zinc-500">Confidence in these</dt><dd>{useCase.confidence} %</dd>
            <dt className="text-zinc-500">Data</dt><dd>{useCase.dataAvailability}</dd>
            <dt className="text-zinc-500">Owner · process</dt><dd>{[useCase.businessOwner, useCase.affectedProcess].filter(Boolean).join(' · ') || '—'}</dd>
            <dt className="text-zinc-500">RICE: reach · impact · effort</dt><dd>{[useCase.reach, useCase.impact, useCase.effort].map((v) => v ?? '—').join(' · ')}</dd>
            <dt className="text-zinc-500">WSJF: value · time · risk ÷ size</dt><dd>{[useCase.businessValue, useCase.timeCriticality, useCase.riskReduction].map((v) => v ?? '—').join(' · ')} ÷ {useCase.jobSize ?? '—'}</dd>
            <dt className="col-span-2 mt-2 text-zinc-500">How the score is computed</dt>
            <dd className="col-span-2 font-mono text-xs text-zinc-700" data-testid="score-explain">{useCase.score.explain}</dd>
          </dl>
        </Section>
        <Section title="Pipelines">
          <LinkedPipelines useCaseId={useCase.id} linked={useCase.pipelines} available={pipelines} canEdit={canEdit} />
        </Section>
        <Section title="History">
          <ol className="divide-y divide-zinc-100 p-4 text-sm">
            {useCase.history.map((h, i) => (
              <li key={i} className="py-1.5">
                {h.summary} <span className="text-zinc-500">· {h.actorName ?? 'seed'}</span> <TimeAgo date={h.at} className="text-xs text-zinc-400" />
              </li>
            ))}
          </ol>
        </Section>
        {useCase.notes ? (
          <Section title="Notes">
            <p className="p-4 text-sm whitespace-pre-wrap text-zinc-700">{useCase.notes}</p>
          </Section>
        ) : null}
      </div>
    </>
  )
}
