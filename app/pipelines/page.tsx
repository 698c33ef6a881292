import type { Metadata } from 'next'
import Link from 'next/link'
import { Workflow } from 'lucide-react'
import { EmptyState } from '@/app/_components/empty-state'
import { PageHeader } from '@/app/_components/page-header'
import { StatusBadge } from '@/app/_components/status-badge'
import { TimeAgo } from '@/app/_components/time-ago'
import { can } from '@/server/auth/permissions'
import { requirePageActor } from '@/server/http/page-auth'
import { listPipelines } from '@/server/pipelines/pipelines'
import { TableHead } from '@/app/_components/table-head'
import { NewPipeline } from './_components/new-pipeline'

export const dynamic = 'force-dynamic'
export const metadata: Metadata = { title: 'Pipelines' }

export default async function PipelinesPage() {
  const { actor, services } = await requirePageActor('pipeline:read')
  const pipelines = await listPipelines(services.db)
  return (
    <>
      <PageHeader
        title="Pipelines"
        description="Every pipeline, its latest version and how its last run went."
        actions={can(actor, 'pipeline:edit') ? <NewPipeline /> : null}
      />
      {pipelines.length === 0 ? (
        <EmptyState icon={<Workflow className="size-8" />} title="No pipelines yet">
          Start one with <b>New pipeline</b> and build it on the canvas, or save a pipeline file with{' '}
          <code className="font-mono text-xs">POST /api/v1/pipelines</code> or the CLI.
        </EmptyState>
      ) : (
        <div className="card overflow-hidden">
          <table className="w-full text-sm">
            <TableHead density="roomy" cells={[{ label: 'Name' }, { label: 'Version' }, { label: 'Last run' }, { label: 'Updated' }]} />
            <tbody className="divide-y divide-zinc-100">
              {pipelines.map((pipeline) => (
                <tr key={pipeline.id} className="group hover:bg-zinc-50" data-testid={`pipeline-${pipeline.name}`}>
                  <td className="px-4 py-3">
                    <Link href={`/pipelines/${pipeline.id}`} className="font-medium text-zinc-900 group-hover:text-accent-700">
                      {pipeline.name}
                    </Link>
                  </td>
                  <td className="px-4 py-3 font-mono text-xs text-zinc-600">v{pipeline.headVersion}</td>
                  <td className="px-4 py-3">
                    <div className="flex items-center gap-2">
                      <StatusBadge status={pipeline.lastRunStatus} />
                      {pipeline.lastRunAt ? <TimeAgo date={pipeline.lastRunAt} className="text-zinc-500" /> : null}
                    </div>
                  </td>
                  <td className="px-4 py-3 text-zinc-500">
                    <TimeAgo date={pipeline.updatedAt} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </>
  )
}
