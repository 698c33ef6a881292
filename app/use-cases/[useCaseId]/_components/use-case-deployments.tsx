import Link from 'next/link'
import { TableHead } from '@/app/_components/table-head'
import { HealthCells } from '@/app/deployments/_components/health-cells'
import { StatePill, TrafficSplit, type ServedVersion } from '@/app/deployments/_components/traffic-split'

export interface UseCaseDeployment {
  name: string
  model: string
  state: string
  versions: ServedVersion[]
  pipelineId: string
}

/** The deployments the use case's linked pipelines made, with their live health (polled every 2 s). */
export function UseCaseDeployments({ deployments, pipelineNames }: { deployments: UseCaseDeployment[]; pipelineNames: Map<string, string> }) {
  if (deployments.length === 0) {
    return <p className="card p-4 text-sm text-zinc-500">No deployment yet: when a linked pipeline&apos;s Deploy step runs, its deployment and live health show here, and the status moves to deployed.</p>
  }
  return (
    <div className="card overflow-x-auto">
      <table className="w-full text-sm" data-testid="use-case-deployments">
        <TableHead density="compact" cells={[{ label: 'Deployment' }, { label: 'Traffic' }, { label: 'Requests/s', align: 'right' }, { label: 'p95', align: 'right' }, { label: 'Errors', align: 'right' }, { label: 'Fallbacks', align: 'right' }]} />
        <tbody className="divide-y divide-zinc-100">
          {deployments.map((d) => (
            <tr key={d.name} data-testid={`deployment-${d.name}`}>
              <td className="px-4 py-3 align-top">
                <Link href={`/deployments/${d.name}`} className="link font-mono font-medium">
                  {d.name}
                </Link>
                <div className="mt-1 flex items-center gap-2 text-xs text-zinc-500">
                  <StatePill state={d.state} /> from {pipelineNames.get(d.pipelineId) ?? 'a pipeline'}
                </div>
              </td>
              <td className="px-4 py-3 align-top">
                <span className="mb-1 block font-mono text-xs text-zinc-600">{d.model}</span>
                <TrafficSplit versions={d.versions} paused={d.state === 'paused'} />
              </td>
              <HealthCells name={d.name} />
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  )
}
