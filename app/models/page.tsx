import type { Metadata } from 'next'
import Link from 'next/link'
import { Boxes } from 'lucide-react'
import { EmptyState } from '@/app/_components/empty-state'
import { PageHeader } from '@/app/_components/page-header'
import { TableHead } from '@/app/_components/table-head'
import { TimeAgo } from '@/app/_components/time-ago'
import { can } from '@/server/auth/permissions'
import { requirePageActor } from '@/server/http/page-auth'
import { listModelsForPage } from '@/server/models/browse'
import { AliasBadges } from './_components/alias-badges'
import { ImportModel } from './_components/import-model'
import { formatMetric, headlineMetric, metricLabel } from './_components/metrics'

export const dynamic = 'force-dynamic'
export const metadata: Metadata = { title: 'Models' }

/** The registry: every named model, its latest version, where its aliases point and how good it is. */
export default async function ModelsPage() {
  const { actor, services } = await requirePageActor('model:read')
  const models = await listModelsForPage(services.db)
  const mayRegister = can(actor, 'model:register')
  return (
    <>
      <PageHeader
        title="Models"
        description="Every registered model: its numbered versions, the aliases that point at them (champion, challenger) and what each was trained on. The headline metric is the champion's, or the latest version's while there is no champion."
        actions={mayRegister ? <ImportModel /> : null}
      />
      {models.length === 0 ? (
        <EmptyState icon={<Boxes className="size-8" aria-hidden />} title="No models yet">
          A model lands here when a pipeline with a <b>Train</b> node that has <b>Register as</b> set runs (the sample pipeline{' '}
          <span className="font-mono text-xs">penguin-species</span> registers one)
          {mayRegister ? (
            <>
              , or when you <b>Import ONNX</b> a model trained elsewhere.
            </>
          ) : (
            '. An engineer can also import an ONNX model trained elsewhere.'
          )}
        </EmptyState>
      ) : (
        <div className="card overflow-hidden">
          <table className="w-full text-sm">
            <TableHead density="roomy" cells={[{ label: 'Name' }, { label: 'Latest' }, { label: 'Aliases' }, { label: 'Task' }, { label: 'Headline metric', align: 'right', className: 'w-64' }, { label: 'Updated' }]} />
            <tbody className="divide-y divide-zinc-100">
              {models.map((model) => {
                const headline = headlineMetric(model.measured.metrics)
                return (
                  <tr key={model.name} className="group hover:bg-zinc-50" data-testid={`model-${model.name}`}>
                    <td className="px-4 py-3">
                      <Link href={`/models/${model.name}`} className="font-medium text-zinc-900 group-hover:text-accent-700">
                        {model.name}
                      </Link>
                    </td>
                    <td className="px-4 py-3">
                      <Link href={`/models/${model.name}/versions/${model.latestVersion}`} className="link font-mono text-xs">
                        v{model.latestVersion}
                      </Link>
                    </td>
                    <td className="px-4 py-3">
                      <AliasBadges aliases={model.aliases} withVersions />
                    </td>
                    <td className="px-4 py-3 text-zinc-600">
                      {model.task} <span className="text-zinc-400">· {model.algorithm}</span>
                    </td>
                    <td className="px-4 py-3 text-right tabular-nums">
                      {headline ? (
                        <>
                          <span className="text-xs text-zinc-500">{metricLabel(headline.name)}</span> {formatMetric(headline.value)}{' '}
                          <span className="font-mono text-[11px] text-zinc-400" title={model.measured.version === model.latestVersion ? 'of the latest version' : 'of the champion'}>
                            v{model.measured.version}
                          </span>
                        </>
                      ) : (
                        <span className="text-zinc-400">—</span>
                      )}
                    </td>
                    <td className="px-4 py-3 text-zinc-500">
                      <TimeAgo date={model.updatedAt} />
                    </td>
                  </tr>
                )
              })}
            </tbody>
          </table>
        </div>
      )}
    </>
  )
}
