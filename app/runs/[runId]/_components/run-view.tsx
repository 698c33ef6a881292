'use client'
import clsx from 'clsx'
import Link from 'next/link'
import { useMemo, useState } from 'react'
import { Alert } from '@/app/_components/alert'
import { durationBetween, formatDuration, shortId } from '@/app/_components/format'
import { PageHeader } from '@/app/_components/page-header'
import { StatusBadge, isActiveStatus } from '@/app/_components/status-badge'
import { DateTime, TimeAgo } from '@/app/_components/time-ago'
import { useNow } from '@/app/_components/use-now'
import type { RunDetail } from '@/server/runner/runs'
import { LogPanel } from './log-panel'
import { RunActions } from './run-actions'
import { StepRow } from './step-row'
import { useRunWatch, type Connection } from './use-run-watch'

/** A run, live: its state, one row per step, and the log. */
export function RunView({ initial, pipelineName, canRun }: { initial: RunDetail; pipelineName: string; canRun: boolean }) {
  const { run, logs, connection, error, restart } = useRunWatch(initial)
  const [logFilter, setLogFilter] = useState<string | null>(null)
  const active = isActiveStatus(run.status)
  const now = useNow(active || run.steps.some((s) => s.status === 'running'))
  const stepNames = useMemo(() => new Map(run.steps.map((s) => [s.id, s.nodeId])), [run.steps])
  const done = run.steps.filter((s) => !isActiveStatus(s.status)).length
  const duration = run.startedAt ? durationBetween(run.startedAt, run.finishedAt, now) : null

  return (
    <>
      <PageHeader
        trail={[
          { href: '/pipelines', label: 'Pipelines' },
          { href: `/pipelines/${run.pipelineId}`, label: pipelineName },
        ]}
        title={
          <span className="flex items-center gap-3">
            Run <span className="font-mono text-xl text-zinc-600">{shortId(run.id)}</span>
            <StatusBadge status={run.status} testId="run-status" className="text-sm" />
          </span>
        }
        meta={
          <>
            <span>
              version <span className="font-mono text-zinc-700">v{run.version}</span>
            </span>
            <span>
              started {run.startedAt ? <TimeAgo date={run.startedAt} className="text-zinc-700" /> : 'not yet'}
              {run.startedAt ? (
                <span className="text-zinc-400">
                  {' '}
                  (<DateTime date={run.startedAt} />)
                </span>
              ) : null}
            </span>
            <span>
              duration <span className="text-zinc-700 tabular-nums" data-testid="run-duration">{formatDuration(duration)}</span>
            </span>
            <span className="tabular-nums">
              {done}/{run.steps.length} steps done
            </span>
            {run.rerunOf ? (
              <span data-testid="rerun-of">
                re-run of{' '}
                <Link href={`/runs/${run.rerunOf}`} className="link font-mono">
                  {shortId(run.rerunOf)}
                </Link>{' '}
                from <span className="font-mono text-zinc-700">{run.rerunNodeId}</span>
              </span>
            ) : null}
            {run.noCache ? <span className="rounded bg-zinc-100 px-1.5 text-xs text-zinc-600">cache ignored</span> : null}
            <ConnectionDot connection={connection} />
          </>
        }
        actions={canRun ? <RunActions runId={run.id} status={run.status} onChanged={restart} /> : null}
      />

      <div className="space-y-6">
        {error ? <Alert title="Live updates stopped">{error}</Alert> : null}
        {run.error && run.status !== 'succeeded' ? <Alert tone={run.status === 'canceled' ? 'warning' : 'error'}>{run.error}</Alert> : null}

        <section>
          <h2 className="mb-2 text-sm font-semibold text-zinc-700">Steps</h2>
          <ol className="card divide-y divide-zinc-100 overflow-hidden" data-testid="run-steps">
            {run.steps.map((step) => (
              <StepRow
                key={step.id}
                step={step}
                runId={run.id}
                now={now}
                logsSelected={logFilter === step.nodeId}
                onShowLogs={(nodeId) => setLogFilter((f) => (f === nodeId ? null : nodeId))}
              />
            ))}
          </ol>
        </section>

        <LogPanel
          logs={logs}
          stepNames={stepNames}
          filter={logFilter}
          onFilter={setLogFilter}
          emptyText={
            run.steps.length > 0 && run.steps.every((s) => s.cached)
              ? 'No log lines: every step was answered from the cache, so none ran.'
              : active
                ? 'Waiting for the first log line…'
                : 'No log lines.'
          }
        />
      </div>
    </>
  )
}

function ConnectionDot({ connection }: { connection: Connection }) {
  const label = { connecting: 'connecting…', live: 'live', ended: 'final', error: 'disconnected' }[connection]
  return (
    <span className="flex items-center gap-1.5 text-xs" title="Live updates">
      <span
        className={clsx(
          'size-2 rounded-full',
          connection === 'live' && 'animate-pulse bg-green-500',
          connection === 'connecting' && 'bg-zinc-300',
          connection === 'ended' && 'bg-zinc-400',
          connection === 'error' && 'bg-red-500',
        )}
        aria-hidden
      />
      {label}
    </span>
  )
}
