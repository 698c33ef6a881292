import type { Metadata } from 'next'
import { orNotFound, requireUuidParam } from '@/app/_lib/not-found'
import { can } from '@/server/auth/permissions'
import { requirePageActor } from '@/server/http/page-auth'
import { getPipeline } from '@/server/pipelines/pipelines'
import { getRunDetail } from '@/server/runner/runs'
import { RunView } from './_components/run-view'

export const dynamic = 'force-dynamic'

type Params = { params: Promise<{ runId: string }> }

export async function generateMetadata({ params }: Params): Promise<Metadata> {
  const { runId } = await params
  return { title: `Run ${runId.slice(0, 8)}` }
}

export default async function RunPage({ params }: Params) {
  const id = requireUuidParam((await params).runId)
  const { actor, services } = await requirePageActor('pipeline:read')
  const run = await orNotFound(getRunDetail(services.db, id))
  const pipeline = await getPipeline(services.db, run.pipelineId)
  return <RunView key={run.id} initial={run} pipelineName={pipeline.name} canRun={can(actor, 'pipeline:run')} />
}
