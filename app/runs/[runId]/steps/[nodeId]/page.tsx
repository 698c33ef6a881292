import type { Metadata } from 'next'
import Link from 'next/link'
import { notFound } from 'next/navigation'
import { Alert } from '@/app/_components/alert'
import { TrainingCurve } from '@/app/_components/charts/training-curve'
import { EmptyState } from '@/app/_components/empty-state'
import { formatDuration, shortId } from '@/app/_components/format'
import { PageHeader } from '@/app/_components/page-header'
import { StatusBadge } from '@/app/_components/status-badge'
import { orNotFound, requireUuidParam } from '@/app/_lib/not-found'
import { findNodeDefinition } from '@/nodes/registry'
import { requirePageActor } from '@/server/http/page-auth'
import { getPipeline } from '@/server/pipelines/pipelines'
import { getRunDetail } from '@/server/runner/runs'
import { PortContent } from './_components/port-content'
import { PortTabs } from './_components/port-tabs'
import { WaitingApproval } from './_components/waiting-approval'
import { WaitingHandoff } from './_components/waiting-handoff'
import { approvalSummary } from '@/server/approvals/decide'
import { deploymentsNow } from '@/server/approvals/deployments-now'
import { handoffSummary } from '@/server/handoffs/bundle'
import { can } from '@/server/auth/permissions'

export const dynamic = 'force-dynamic'

type Props = {
  params: Promise<{ runId: string; nodeId: string }>
  searchParams: Promise<{ port?: string | string[] }>
}

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const { nodeId, runId } = await params
  return { title: `${decodeURIComponent(nodeId)} · run ${runId.slice(0, 8)}` }
}

export default async function StepOutputsPage({ params, searchParams }: Props) {
  const { runId: rawRunId, nodeId: rawNodeId } = await params
  const runId = requireUuidParam(rawRunId)
  const nodeId = decodeURIComponent(rawNodeId)
  const { services, actor } = await requirePageActor('artifact:read')
  const run = await orNotFound(getRunDetail(services.db, runId))
  const step = run.steps.find((s) => s.nodeId === nodeId)
  if (!step) notFound()
  const pipeline = await getPipeline(services.db, run.pipelineId)
  const definition = findNodeDefinition(step.kind)
  const handoff = step.status === 'waiting' ? await handoffSummary(services.db, step.id) : null
  const approval = step.status === 'waiting' ? await approvalSummary(services.db, step.id) : null
  const touched = approval ? await deploymentsNow(services.db, approval.outputs) : []

  const declared = Object.keys(definition?.ports.out ?? {})
  const written = Object.keys(step.outputs ?? {})
  const ports = [...declared.filter((p) => written.includes(p)), ...written.filter((p) => !declared.includes(p))]
  const wanted = (await searchParams).port
  const selected = (typeof wanted === 'string' && ports.includes(wanted) ? wanted : ports[0]) ?? null
  const baseHref = `/runs/${run.id}/steps/${encodeURIComponent(step.nodeId)}`
  const inputs = Object.entries(step.inputs ?? {})

  return (
    <>
      <PageHeader
        trail={[
          { href: '/pipelines', label: 'Pipelines' },
          { href: `/pipelines/${pipeline.id}`, label: pipeline.name },
          { href: `/runs/${run.id}`, label: `run ${shortId(run.id)}`, mono: true },
        ]}
        title={
          <span className="flex items-center gap-3">
            <span className="font-mono">{step.nodeId}</span>
            <span className="text-base font-normal text-zinc-500">{definition?.ui.title ?? step.kind}</span>
            <StatusBadge status={step.status} cached={step.cached} />
          </span>
        }
        meta={
          <>
            <span>duration {formatDuration(step.durationMs)}</span>
            {step.attempt > 1 ? <span>attempt {step.attempt}/{step.maxAttempts}</span> : null}
            {inputs.map(([port, source]) => (
              <span key={port}>
                {port} ←{' '}
                <Link href={`/runs/${run.id}/steps/${encodeURIComponent(source.nodeId)}?port=${encodeURIComponent(source.port)}`} className="link font-mono text-xs">
                  {source.nodeId}.{source.port}
                </Link>
              </span>
            ))}
          </>
        }
        actions={
          <Link href={`/runs/${run.id}`} className="btn-secondary">
            Back to run
          </Link>
        }
      />

      {step.status === 'failed' && step.error ? (
        <Alert className="mb-6" title="This step failed">
          <pre className="font-mono text-xs whitespace-pre-wrap">{step.error}</pre>
        </Alert>
      ) : null}

      {handoff ? (
        <WaitingHandoff
          runId={run.id}
          nodeId={step.nodeId}
          mode={handoff.mode}
          expiresAt={handoff.expiresAt.toISOString()}
          task={handoff.task}
          label={handoff.label}
          labels={handoff.labels}
          features={handoff.features}
          canUpload={can(actor, 'model:register')}
        />
      ) : null}

      {approval ? (
        <WaitingApproval
          runId={run.id}
          nodeId={step.nodeId}
          summary={approval.summary}
          since={approval.createdAt.toISOString()}
          expiresAt={approval.expiresAt.toISOString()}
          canDecide={can(actor, 'deployment:manage')}
          deployments={touched}
        />
      ) : null}

      {step.curve && step.curve.length > 0 ? (
        <section className="mb-6" aria-labelledby="training-heading">
          <h2 id="training-heading" className="mb-2 text-sm font-semibold text-zinc-700">
            Training
          </h2>
          <TrainingCurve curve={step.curve} />
        </section>
      ) : null}

      {selected === null && (handoff || approval) ? null : selected === null ? (
        <EmptyState title="No outputs">
          {step.status === 'succeeded'
            ? 'This step wrote no outputs.'
            : `Outputs appear here once the step has succeeded; it is ${step.status} now.`}
        </EmptyState>
      ) : (
        <>
          <PortTabs baseHref={baseHref} selected={selected} ports={ports.map((name) => ({ name, type: definition?.ports.out[name] }))} />
          <PortContent key={selected} services={services} artifactId={step.outputs[selected]!} port={selected} kind={step.kind} />
        </>
      )}
    </>
  )
}
