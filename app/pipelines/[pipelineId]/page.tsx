import type { Metadata } from 'next'
import { PageHeader, Section } from '@/app/_components/page-header'
import { orNotFound, requireUuidParam } from '@/app/_lib/not-found'
import { can } from '@/server/auth/permissions'
import { requirePageActor } from '@/server/http/page-auth'
import { getDraft } from '@/server/pipelines/drafts'
import { getPipeline, getVersion } from '@/server/pipelines/pipelines'
import { getRunDetail, listRuns } from '@/server/runner/runs'
import { EditorLoader } from './_editor/editor-loader'
import { RunsTable } from './_components/runs-table'

export const dynamic = 'force-dynamic'

type Params = { params: Promise<{ pipelineId: string }> }

export async function generateMetadata({ params }: Params): Promise<Metadata> {
  const { pipelineId } = await params
  const { services } = await requirePageActor('pipeline:read')
  const pipeline = await getPipeline(services.db, requireUuidParam(pipelineId)).catch(() => null)
  return { title: pipeline?.name ?? 'Pipeline' }
}

export default async function PipelinePage({ params }: Params) {
  const id = requireUuidParam((await params).pipelineId)
  const { actor, services } = await requirePageActor('pipeline:read')
  const pipeline = await orNotFound(getPipeline(services.db, id))
  const canEdit = can(actor, 'pipeline:edit')
  const [head, runs, draft] = await Promise.all([
    getVersion(services.db, id),
    listRuns(services.db, id),
    canEdit ? getDraft(services.db, id, actor.id) : null,
  ])
  const lastRun = runs[0]
  const latestRun = lastRun ? await getRunDetail(services.db, lastRun.id) : null

  return (
    <>
      <PageHeader
        trail={[{ href: '/pipelines', label: 'Pipelines' }]}
        title={pipeline.name}
        description={head.file.description ?? undefined}
        meta={canEdit ? undefined : <span>Your role ({actor.role}) may look at this pipeline but not change it.</span>}
      />
      <EditorLoader
        pipelineId={pipeline.id}
        head={{ version: head.version, file: head.file }}
        draft={draft}
        latestRun={latestRun}
        canEdit={canEdit}
        canRun={can(actor, 'pipeline:run')}
      />
      <Section title="Runs" className="mt-8">
        <RunsTable runs={runs} />
      </Section>
    </>
  )
}
