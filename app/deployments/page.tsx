import type { Metadata } from 'next'
import Link from 'next/link'
import { Rocket } from 'lucide-react'
import { EmptyState } from '@/app/_components/empty-state'
import { PageHeader } from '@/app/_components/page-header'
import { TableHead } from '@/app/_components/table-head'
import { TimeAgo } from '@/app/_components/time-ago'
import { deploymentView, listDeploymentRows } from '@/server/deployments/deployments'
import { requirePageActor } from '@/server/http/page-auth'
import { HealthCells } from './_components/health-cells'
import { StatePill, TrafficSplit } from './_components/traffic-split'

export const dynamic = 'force-dynamic'
export const metadata: Metadata = { title: 'Deployments' }

/** Every deployment: what it serves and how traffic splits, and its live health, refreshed every 2 s. */
export default async function DeploymentsPage() {
  const { services } = await requirePageActor('deployment:read')
  const deployments = (await listDeploymentRows(services.db)).map(deploymentView)
  return (
    <>
      <PageHeader
        title="Deployments"
        description="Models served under a stable name: which versions answer and how the traffic splits between them, and how each deployment is doing right now, across every serving process (the last 30 seconds; the lines are the last 5 minutes)."
      />
      {deployments.length === 0 ? (
        <EmptyState icon={<Rocket className="size-8" aria-hidden />} title="Nothing is deployed yet">
          Open a model version (<Link href="/models" className="link">Models</Link> → a model → a version) and use <b>Deploy</b>, or add a <b>Deploy</b> node after
          a Train node in a pipeline: its run creates the deployment, or rolls the new version out to it.
        </EmptyState>
      ) : (
        <div className="card overflow-x-auto">
          <table className="w-full text-sm">
            <TableHead
              cells={[
                { label: 'Deployment' },
                { label: 'Model and traffic' },
                { label: 'State' },
                { label: 'Requests/s', align: 'right' },
                { label: 'p95', align: 'right' },
                { label: 'Errors', align: 'right' },
                { label: 'Fallbacks', align: 'right' },
              ]}
            />
            <tbody className="divide-y divide-zinc-100">
              {deployments.map((d) => (
                <tr key={d.name} className="group hover:bg-zinc-50" data-testid={`deployment-${d.name}`}>
                  <td className="px-4 py-3 align-top">
                    <Link href={`/deployments/${d.name}`} className="font-mono font-medium text-zinc-900 group-hover:text-accent-700">
                      {d.name}
                    </Link>
                    <div className="mt-0.5 text-xs text-zinc-500">
                      {d.public ? 'public · ' : ''}changed <TimeAgo date={d.updatedAt} />
                    </div>
                  </td>
                  <td className="px-4 py-3 align-top">
                    <Link href={`/models/${d.model}`} className="link mb-1 inline-block font-mono text-xs">
                      {d.model}
                    </Link>
                    <TrafficSplit versions={d.versions} paused={d.state === 'paused'} />
                  </td>
                  <td className="px-4 py-3 align-top">
                    <StatePill state={d.state} />
                  </td>
                  <HealthCells name={d.name} />
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </>
  )
}
