import type { Metadata } from 'next'
import { PageHeader, Section } from '@/app/_components/page-header'
import { StatusBadge } from '@/app/_components/status-badge'
import { orNotFound, requireUuidParam } from '@/app/_lib/not-found'
import { can } from '@/server/auth/permissions'
import { requirePageActor } from '@/server/http/page-auth'
import { getPipeline, getVersion, listVersions } from '@/server/pipelines/pipelines'
import { listRuns } from '@/server/runner/runs'
import { PipelineFileView } from './_components/pipeline-file'
import { PipelineGraph } from './_components/pipeline-graph'
import { RunButton } from './_components/run-button'
import { RunsTable } from './_components/runs-table'
import { VersionsList } from './_components/versions-list'

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
  const [head, versions, runs] = await Promise.all([
    getVersion(services.db, id),
    listVersions(services.db, id),
    listRuns(services.db, id),
  ])
  const canRun = can(actor, 'pipeline:run')
  const lastRun = runs[0]

  return (
    <>
      <PageHeader
        trail={[{ href: '/pipelines', label: 'Pipelines' }]}
        title={pipeline.name}
        description={head.file.description ?? undefined}
        meta={
          <>
            <span>
              head <span className="font-mono text-zinc-700">v{pipeline.headVersion}</span>
            </span>
            <span>
              {head.file.nodes.length} nodes · {head.file.edges.length} edges
            </span>
            {lastRun ? (
              <span className="flex items-center gap-1.5">
                last run <StatusBadge status={lastRun.status} />
              </span>
            ) : null}
          </>
        }
        actions={
          canRun ? (
            <RunButton pipelineId={pipeline.id} />
          ) : (
            <p className="text-sm text-zinc-500">Your role ({actor.role}) may view runs but not start them.</p>
          )
        }
      />

      <div className="space-y-8">
        <Section title={`Graph · v${head.version}`}>
          <div className="card overflow-hidden">
            <PipelineGraph file={head.file} />
          </div>
        </Section>

        <div className="grid gap-8 lg:grid-cols-3">
          <Section title="Runs" className="lg:col-span-2">
            <RunsTable runs={runs} />
          </Section>
          <Section title="Versions">
            <VersionsList versions={versions} head={pipeline.headVersion} />
          </Section>
        </div>

        <PipelineFileView file={head.file} name={pipeline.name} version={head.version} />
      </div>
    </>
  )
}
