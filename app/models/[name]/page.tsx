import type { Metadata } from 'next'
import Link from 'next/link'
import { notFound } from 'next/navigation'
import { PageHeader, Section } from '@/app/_components/page-header'
import { TableHead } from '@/app/_components/table-head'
import { TimeAgo } from '@/app/_components/time-ago'
import { shortId } from '@/app/_components/format'
import { orNotFound } from '@/app/_lib/not-found'
import { slugName } from '@/server/compiler/pipeline-file'
import { requirePageActor } from '@/server/http/page-auth'
import { listVersionsForPage, type VersionRow } from '@/server/models/browse'
import { getModelVersion } from '@/server/models/registry'
import { AliasBadges } from '../_components/alias-badges'
import { formatMetric, headlineMetrics, metricLabel } from '../_components/metrics'
import { ComparePicker, CompareView } from './_components/compare-view'

export const dynamic = 'force-dynamic'

type Props = {
  params: Promise<{ name: string }>
  searchParams: Promise<Record<string, string | string[] | undefined>>
}

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  return { title: `${(await params).name} · Models` }
}

/** A model name in the address that could name no model is a 404, before any query. */
function modelNameParam(value: string): string {
  const name = decodeURIComponent(value)
  if (!slugName.safeParse(name).success) notFound()
  return name
}

/** The pair to compare: the address's `?a=&b=` when both are versions, else the champion (or the one before) against the latest. */
function comparedPair(search: Record<string, string | string[] | undefined>, versions: readonly number[], champion: number | undefined): [number, number] | null {
  if (versions.length < 2) return null
  const pick = (key: string) => {
    const raw = search[key]
    const value = Number(Array.isArray(raw) ? raw[0] : raw)
    return versions.includes(value) ? value : undefined
  }
  const latest = versions[0]!
  const a = pick('a') ?? (champion !== undefined && champion !== latest ? champion : versions[1]!)
  return [a, pick('b') ?? latest]
}

export default async function ModelPage({ params, searchParams }: Props) {
  const name = modelNameParam((await params).name)
  const { services } = await requirePageActor('model:read')
  const model = await orNotFound(listVersionsForPage(services.db, name))
  const numbers = model.versions.map((v) => v.version)
  const pair = comparedPair(await searchParams, numbers, model.aliases.champion)
  const [a, b] = pair ? await Promise.all(pair.map((v) => getModelVersion(services.db, name, v))) : []
  const aliasList = Object.entries(model.aliases).map(([alias, version]) => ({ alias, version }))

  return (
    <>
      <PageHeader
        trail={[{ href: '/models', label: 'Models' }]}
        title={<span className="font-mono">{name}</span>}
        meta={
          <>
            <span>
              {model.versions.length} version{model.versions.length === 1 ? '' : 's'}
            </span>
            {aliasList.length > 0 ? <AliasBadges aliases={aliasList} withVersions /> : <span>no aliases yet</span>}
          </>
        }
        actions={
          <Link href={`/models/${name}/versions/${numbers[0]}`} className="btn-secondary">
            Latest version
          </Link>
        }
      />
      <Section title="Versions" className="mb-8">
        <VersionsTable name={name} versions={model.versions} />
      </Section>
      <Section title="Compare two versions">
        {a && b ? (
          <>
            <ComparePicker name={name} versions={numbers} a={a.version} b={b.version} />
            <CompareView a={a} b={b} />
          </>
        ) : (
          <p className="text-sm text-zinc-500">A second version appears when the pipeline runs again with other settings or data, or when another file is imported under this name.</p>
        )}
      </Section>
    </>
  )
}

function VersionsTable({ name, versions }: { name: string; versions: readonly VersionRow[] }) {
  return (
    <div className="card overflow-hidden">
      <table className="w-full text-sm">
        <TableHead cells={[{ label: 'Version' }, { label: 'Created' }, { label: 'Source' }, { label: 'Aliases' }, { label: 'Algorithm' }, { label: 'Metrics' }]} />
        <tbody className="divide-y divide-zinc-100">
          {versions.map((v) => (
            <tr key={v.version} className="hover:bg-zinc-50" data-testid={`version-${v.version}`}>
              <td className="px-4 py-2.5">
                <Link href={`/models/${name}/versions/${v.version}`} className="link font-mono font-medium">
                  v{v.version}
                </Link>
              </td>
              <td className="px-4 py-2.5 text-zinc-500">
                <TimeAgo date={v.createdAt} />
              </td>
              <td className="px-4 py-2.5 whitespace-nowrap">
                {v.runId ? (
                  <Link href={`/runs/${v.runId}`} className="link">
                    run <span className="font-mono text-xs">{shortId(v.runId)}</span>
                  </Link>
                ) : (
                  <span className="text-zinc-500">imported</span>
                )}
              </td>
              <td className="px-4 py-2.5">
                <AliasBadges aliases={v.aliases.map((alias) => ({ alias, version: v.version }))} />
              </td>
              <td className="px-4 py-2.5 text-zinc-600">{v.algorithm}</td>
              <td className="px-4 py-2.5 tabular-nums">
                {headlineMetrics(v.metrics).map((m) => (
                  <span key={m.name} className="mr-3 whitespace-nowrap">
                    <span className="text-xs text-zinc-500">{metricLabel(m.name)}</span> {formatMetric(m.value)}
                  </span>
                ))}
                {Object.keys(v.metrics).length === 0 ? <span className="text-zinc-400">—</span> : null}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  )
}
