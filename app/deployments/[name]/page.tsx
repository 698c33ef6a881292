import type { Metadata } from 'next'
import Link from 'next/link'
import { headers } from 'next/headers'
import { notFound } from 'next/navigation'
import { FlaskConical } from 'lucide-react'
import { PageHeader, Section } from '@/app/_components/page-header'
import { TimeAgo } from '@/app/_components/time-ago'
import { orNotFound } from '@/app/_lib/not-found'
import { can } from '@/server/auth/permissions'
import { slugName } from '@/server/compiler/pipeline-file'
import { deploymentHistory, deploymentView, findDeployment } from '@/server/deployments/deployments'
import { requirePageActor } from '@/server/http/page-auth'
import { publicBaseUrl } from '@/server/http/public-url'
import { getModelVersion, listModelVersions } from '@/server/models/registry'
import { HealthCharts } from '../_components/health-charts'
import { StatePill, TrafficSplit } from '../_components/traffic-split'
import { Endpoints } from './_components/endpoints'
import { HistoryTable } from './_components/history-table'
import { RolloutActions, type RolloutState } from './_components/rollout-actions'
import { SettingsPanel } from './_components/settings-panel'
import { VersionHealthTable } from './_components/version-health'

export const dynamic = 'force-dynamic'

type Props = { params: Promise<{ name: string }> }

async function nameParam(params: Props['params']): Promise<string> {
  const name = decodeURIComponent((await params).name)
  if (!slugName.safeParse(name).success) notFound()
  return name
}

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  return { title: `${decodeURIComponent((await params).name)} · Deployments` }
}

/** Where the app is reached from here, for the endpoint URLs (PIPEWRIGHT_PUBLIC_URL when set). */
async function appOrigin(): Promise<string> {
  return publicBaseUrl(new Request('http://localhost/', { headers: await headers() })).toString().replace(/\/$/, '')
}

/** One deployment: its traffic split, live health, the actions that move traffic, its history, settings and endpoints. */
export default async function DeploymentPage({ params }: Props) {
  const name = await nameParam(params)
  const { actor, services } = await requirePageActor('deployment:read')
  const row = await orNotFound(findDeployment(services.db, name))
  const view = deploymentView(row)
  const [history, { versions }, stable, origin] = await Promise.all([
    deploymentHistory(services.db, row.id),
    listModelVersions(services.db, row.modelName),
    getModelVersion(services.db, row.modelName, row.stableVersion),
    appOrigin(),
  ])
  const manage = can(actor, 'deployment:manage')
  const paused = row.state === 'paused'
  const rolloutState: RolloutState = {
    name,
    stableVersion: row.stableVersion,
    previousVersion: row.previousVersion,
    challenger: row.challengerVersion !== null && row.challengerStrategy !== null ? { version: row.challengerVersion, strategy: row.challengerStrategy, weight: row.weight } : null,
    paused,
    modelVersions: versions.map((v) => v.version),
  }
  const previewHref = `/models/${row.modelName}/versions/${row.stableVersion}/preview?deployment=${encodeURIComponent(name)}`

  return (
    <>
      <PageHeader
        trail={[{ href: '/deployments', label: 'Deployments' }]}
        title={
          <span className="flex flex-wrap items-center gap-3">
            <span className="font-mono">{name}</span>
            <StatePill state={row.state} />
          </span>
        }
        meta={
          <>
            <span>
              serves <Link href={`/models/${row.modelName}`} className="link font-mono">{row.modelName}</Link>
              {row.alias ? <> (deployed from alias {row.alias})</> : null}
            </span>
            <span>{row.public ? 'public: no token needed' : 'callers need a token'}</span>
            <span>
              changed <TimeAgo date={row.updatedAt} />
            </span>
          </>
        }
        actions={
          // a document load, not a client-side one: only a fresh page gets the preview's COEP, so its wasm threads
          <a href={previewHref} className="btn-secondary" data-testid="deployment-preview-link">
            <FlaskConical className="size-4" aria-hidden /> Preview in the browser
          </a>
        }
      />

      <div className="mb-8 grid gap-6 lg:grid-cols-5">
        <Section title="Traffic" className="lg:col-span-3">
          <div className="card space-y-4 p-4">
            <TrafficSplit versions={view.versions} paused={paused} size="large" />
            <VersionHealthTable name={name} versions={view.versions} />
            {paused ? <p className="text-sm text-amber-800">Paused: the split above stays as it is; only a rollback may change it until the rollout is resumed.</p> : null}
            {manage ? <RolloutActions state={rolloutState} /> : <p className="text-sm text-zinc-500">Operators, engineers and admins can roll out, promote and roll back.</p>}
          </div>
        </Section>
        <Section title="Endpoints" className="lg:col-span-2">
          <Endpoints origin={origin} name={name} metadata={stable.metadata} isPublic={row.public} />
        </Section>
      </div>

      <Section title="Live health" className="mb-8">
        <HealthCharts name={name} />
      </Section>

      <div className="grid gap-6 lg:grid-cols-2">
        <Section title="Rollout history">
          <HistoryTable history={history} />
        </Section>
        <Section title="Settings">
          {manage ? (
            <SettingsPanel state={{ name, public: row.public, logSample: row.logSample, failsafe: row.failsafe ?? null, task: stable.metadata.task }} />
          ) : (
            <div className="card p-4 text-sm text-zinc-600">
              {row.public ? 'Public' : 'Not public'} · logs {Math.round(row.logSample * 1000) / 10}% of requests · {row.failsafe ? 'fail-safe on' : 'no fail-safe'}
            </div>
          )}
        </Section>
      </div>
    </>
  )
}
