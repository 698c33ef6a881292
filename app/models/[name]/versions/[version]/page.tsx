import type { Metadata } from 'next'
import Link from 'next/link'
import { notFound } from 'next/navigation'
import { Download, FlaskConical } from 'lucide-react'
import type { ReactNode } from 'react'
import type { ModelMetadata } from '@/nodes/_lib/models/metadata'
import { TrainingCurve } from '@/app/_components/charts/training-curve'
import { formatBytes, formatDateTime, shortId } from '@/app/_components/format'
import { PageHeader, Section } from '@/app/_components/page-header'
import { TimeAgo } from '@/app/_components/time-ago'
import { orNotFound } from '@/app/_lib/not-found'
import { can } from '@/server/auth/permissions'
import { slugName } from '@/server/compiler/pipeline-file'
import { requirePageActor } from '@/server/http/page-auth'
import { lineageView } from '@/server/models/browse'
import { storedOpsets } from '@/server/models/opsets'
import { getModelVersion, listModelVersions } from '@/server/models/registry'
import { deploymentsOfModel } from '@/server/deployments/browse'
import { AliasBadges } from '../../../_components/alias-badges'
import { formatMetric, metricLabel, orderMetricNames } from '../../../_components/metrics'
import { LineageGraph } from './_components/lineage-graph'
import { DeployForm } from './_components/deploy-form'
import { MoveAlias } from './_components/move-alias'
import { ReferenceProfile } from './_components/reference-profile'
import { Signature } from './_components/signature'

export const dynamic = 'force-dynamic'

type Props = { params: Promise<{ name: string; version: string }> }

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const { name, version } = await params
  return { title: `${name} v${version} · Models` }
}

/** Segments that could name no version are a 404 before any query: a slug, and 1, 2, 3 … */
async function versionParams(params: Props['params']): Promise<{ name: string; version: number }> {
  const { name: rawName, version: rawVersion } = await params
  const name = decodeURIComponent(rawName)
  if (!slugName.safeParse(name).success || !/^[1-9][0-9]{0,9}$/.test(rawVersion) || Number(rawVersion) > 2_147_483_647) notFound()
  return { name, version: Number(rawVersion) }
}

/** The model card: what one version is, what it takes and gives, how good it is and where it came from. */
export default async function ModelVersionPage({ params }: Props) {
  const { name, version } = await versionParams(params)
  const { actor, services } = await requirePageActor('model:read')
  const found = await orNotFound(getModelVersion(services.db, name, version))
  const [{ aliases }, opsets, lineage, deployed] = await Promise.all([
    listModelVersions(services.db, name),
    storedOpsets(services.store, found.artifactId),
    found.lineage ? lineageView(services.db, found.lineage) : null,
    deploymentsOfModel(services.db, name),
  ])
  const { metadata } = found
  const contentHref = `/api/v1/models/${name}/versions/${version}/content`

  return (
    <>
      <PageHeader
        trail={[
          { href: '/models', label: 'Models' },
          { href: `/models/${name}`, label: name, mono: true },
        ]}
        title={
          <span className="flex flex-wrap items-center gap-3">
            <span className="font-mono">
              {name} <span className="text-zinc-500">v{version}</span>
            </span>
            {found.aliases.length > 0 ? <AliasBadges aliases={found.aliases.map((alias) => ({ alias, version }))} /> : null}
          </span>
        }
        meta={
          <>
            <span>{taskText(metadata, found.lineage !== null)}</span>
            <span>
              registered <TimeAgo date={found.createdAt} />
            </span>
            <span>{found.lineage ? <Link href={`/runs/${found.lineage.runId}`} className="link">trained in run {shortId(found.lineage.runId)}</Link> : 'imported'}</span>
          </>
        }
        actions={
          <>
          {/* a document load, not a client-side one: only a fresh page gets the preview's COEP, so its wasm threads */}
          <a href={`/models/${name}/versions/${version}/preview`} className="btn-secondary" data-testid="preview-link">
            <FlaskConical className="size-4" aria-hidden /> Preview in the browser
          </a>
          <a href={contentHref} download className="btn-secondary" data-testid="download-onnx">
            <Download className="size-4" aria-hidden /> Download ONNX ({formatBytes(found.sizeBytes)})
          </a>
          </>
        }
      />

      <div className="mb-8 grid gap-6 lg:grid-cols-3">
        <Section title="Overview">
          <Facts
            rows={[
              ['Task', taskText(metadata, found.lineage !== null)],
              ['Classes', metadata.labels ? <span data-testid="model-labels">{metadata.labels.join(', ')}</span> : null],
              ['Algorithm', metadata.algorithm],
              ['Size', formatBytes(found.sizeBytes)],
              ['Opset', opsets ? <span data-testid="model-opset">{Object.entries(opsets).map(([domain, v]) => (domain ? `${domain} ${v}` : `ai.onnx ${v}`)).join(', ')}</span> : 'unknown'],
              ['IR version', typeof metadata.params?.irVersion === 'number' ? String(metadata.params.irVersion) : null],
              ['Producer', typeof metadata.params?.producer === 'string' && metadata.params.producer ? metadata.params.producer : null],
              ['Registered', formatDateTime(found.createdAt)],
              ['Artifact', <span key="a" className="font-mono text-xs" title={found.artifactId}>{shortId(found.artifactId, 16)}</span>],
            ]}
          />
        </Section>
        <Section title="Metrics and parameters">
          <MetricsAndParams metrics={metadata.metrics ?? {}} params={metadata.params ?? {}} trained={found.lineage !== null} />
        </Section>
        <Section title="Aliases, description and tags">
          <div className="card space-y-4 p-4">
            {can(actor, 'model:register') ? <MoveAlias name={name} version={version} aliases={aliases} /> : <p className="text-sm text-zinc-500">Engineers and admins can point aliases such as champion at a version.</p>}
            <div className="border-t border-zinc-100 pt-3 text-sm">
              {found.description ? <p className="text-zinc-700" data-testid="model-description">{found.description}</p> : <p className="text-zinc-400">No description.</p>}
              {found.tags.length > 0 ? (
                <p className="mt-2 flex flex-wrap gap-1" data-testid="model-tags">
                  {found.tags.map((tag) => (
                    <span key={tag} className="rounded bg-zinc-100 px-1.5 py-0.5 text-xs text-zinc-700">{tag}</span>
                  ))}
                </p>
              ) : null}
            </div>
          </div>
        </Section>
      </div>

      <Section title="Deploy" className="mb-8">
        <div className="card p-4">
          {can(actor, 'deployment:manage') ? (
            <DeployForm model={name} version={version} existing={deployed} />
          ) : (
            <p className="text-sm text-zinc-500">Operators, engineers and admins can deploy a version to a server endpoint.</p>
          )}
        </div>
      </Section>

      <Section title="Signature" className="mb-8">
        <Signature metadata={metadata} />
      </Section>

      <Section title="Lineage" className="mb-8">
        <div className="card p-4">
          {lineage ? <LineageGraph lineage={lineage} name={name} version={version} /> : <p className="text-sm text-zinc-500" data-testid="lineage-imported">Imported as a file: Pipewright did not train it, so it knows no data or run behind it.</p>}
        </div>
      </Section>

      {metadata.trainingCurve && metadata.trainingCurve.length > 0 ? (
        <Section title="Training curve" className="mb-8">
          <div className="card p-4">
            <TrainingCurve curve={metadata.trainingCurve} />
          </div>
        </Section>
      ) : null}

      <Section title="Reference profile of the training data">
        {metadata.referenceProfile && metadata.referenceProfile.length > 0 ? (
          <ReferenceProfile profile={metadata.referenceProfile} />
        ) : (
          <p className="card p-4 text-sm text-zinc-500">No reference profile: {found.lineage ? 'this version was trained before profiles were kept.' : 'an imported file carries none, so drift cannot be measured against its training data.'}</p>
        )}
      </Section>
    </>
  )
}

/** A trained model predicts a dataset column ("classification of species"); an imported one names only its output, so say what it gives. */
function taskText(metadata: ModelMetadata, trained: boolean): string {
  if (trained) return `${metadata.task} of ${metadata.label}`
  return metadata.labels ? `${metadata.task}, ${metadata.labels.length} classes` : metadata.task
}

/** Shown in the overview already (producer, opsets), so not again among the parameters. */
const overviewParams = new Set(['producer', 'opsets', 'irVersion'])

function Facts({ rows }: { rows: [string, ReactNode][] }) {
  return (
    <dl className="card grid grid-cols-[max-content_1fr] gap-x-6 gap-y-1.5 p-4 text-sm">
      {rows.filter(([, value]) => value !== null && value !== undefined).map(([label, value]) => (
        <div key={label} className="contents">
          <dt className="text-zinc-500">{label}</dt>
          <dd className="min-w-0 break-words">{value}</dd>
        </div>
      ))}
    </dl>
  )
}

function MetricsAndParams({ metrics, params, trained }: { metrics: Record<string, number>; params: Record<string, unknown>; trained: boolean }) {
  const metricRows = orderMetricNames(Object.keys(metrics)).map((key) => [key, metrics[key]!] as const)
  const paramRows = Object.entries(params).filter(([key]) => !overviewParams.has(key))
  return (
    <dl className="card grid grid-cols-[max-content_1fr] gap-x-6 gap-y-1.5 p-4 text-sm" data-testid="model-metrics">
      {metricRows.length === 0 ? <dd className="col-span-2 text-zinc-500">No metrics: {trained ? 'training recorded none.' : 'an imported file carries none.'}</dd> : null}
      {metricRows.map(([key, value]) => (
        <div key={key} className="contents">
          <dt className="text-zinc-500">{metricLabel(key)}</dt>
          <dd className="font-medium tabular-nums">{formatMetric(value)}</dd>
        </div>
      ))}
      {paramRows.length > 0 ? <div className="col-span-2 mt-1 border-t border-zinc-100 pt-2 text-xs font-medium tracking-wide text-zinc-400 uppercase">parameters</div> : null}
      {paramRows.map(([key, value]) => (
        <div key={key} className="contents">
          <dt className="text-zinc-500">{key}</dt>
          <dd className="min-w-0 font-mono text-xs break-words">{typeof value === 'string' ? value : JSON.stringify(value)}</dd>
        </div>
      ))}
    </dl>
  )
}
