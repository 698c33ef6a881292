'use client'
import Link from 'next/link'
import { useRouter } from 'next/navigation'
import clsx from 'clsx'
import { ChevronRight, FileText, ScrollText, Table2 } from 'lucide-react'
import { durationBetween, formatDuration, shortId } from '@/app/_components/format'
import { TrainingCurve } from '@/app/_components/charts/training-curve'
import { StatusBadge } from '@/app/_components/status-badge'
import { findNodeDefinition } from '@/nodes/registry'
import type { RunDetail } from '@/server/runner/runs'

export type RunStep = RunDetail['steps'][number]

const railColours: Record<string, string> = {
  queued: 'bg-zinc-300',
  running: 'bg-blue-500',
  waiting: 'bg-amber-400',
  succeeded: 'bg-green-500',
  failed: 'bg-red-500',
  canceled: 'bg-zinc-200',
  skipped: 'bg-zinc-200',
}

const waitingWords: Record<NonNullable<RunStep['waitingFor']>, string> = {
  approval: 'waiting for approval: open the step to see the change and approve or reject it',
  handoff: 'waiting for its model from outside: open the step to see what it needs',
}

/** One step of a run: what it is, how it is doing, and (once done) links to its outputs. */
export function StepRow({
  step,
  runId,
  now,
  onShowLogs,
  logsSelected,
}: {
  step: RunStep
  runId: string
  now: number
  onShowLogs: (nodeId: string) => void
  logsSelected: boolean
}) {
  const router = useRouter()
  const definition = findNodeDefinition(step.kind)
  const outputs = orderedOutputs(step.outputs, Object.keys(definition?.ports.out ?? {}))
  // a waiting step's page says what it waits for, and takes the upload or the decision
  const opensPage = (step.status === 'succeeded' && outputs.length > 0) || step.status === 'waiting'
  const stepHref = `/runs/${runId}/steps/${encodeURIComponent(step.nodeId)}`
  const muted = step.status === 'skipped' || step.status === 'canceled'
  const duration = step.durationMs ?? (step.status === 'running' ? durationBetween(step.startedAt, null, now) : null)

  return (
    <li
      data-testid={`step-${step.nodeId}`}
      data-status={step.status}
      data-cached={step.cached ? 'true' : 'false'}
      className={clsx('relative overflow-hidden', opensPage && 'cursor-pointer hover:bg-zinc-50', muted && 'opacity-70')}
      onClick={(event) => {
        if (!opensPage || (event.target as HTMLElement).closest('a,button')) return
        router.push(stepHref)
      }}
    >
      <span
        className={clsx('absolute inset-y-0 left-0 w-1', step.cached ? 'bg-teal-500' : (railColours[step.status] ?? 'bg-zinc-300'))}
        aria-hidden
      />
      <div className="flex flex-wrap items-center gap-x-4 gap-y-2 py-3 pr-4 pl-5">
        <div className="min-w-0 flex-1">
          <div className="flex items-baseline gap-2">
            {opensPage ? (
              <Link href={stepHref} className="font-mono text-sm font-semibold text-zinc-900 hover:text-accent-700">
                {step.nodeId}
              </Link>
            ) : (
              <span className="font-mono text-sm font-semibold text-zinc-900">{step.nodeId}</span>
            )}
            <span className="text-xs text-zinc-500">{definition?.ui.title ?? step.kind}</span>
          </div>
          {step.cached ? <CachedFrom runId={step.cachedFromRunId} /> : null}
          {step.waitingFor ? (
            <p className="mt-0.5 text-xs text-amber-700" data-testid="waiting-for">
              {waitingWords[step.waitingFor]}
            </p>
          ) : null}
          {step.skipCache ? <p className="mt-0.5 text-xs text-zinc-500">re-run: the cache was skipped for this step</p> : null}
        </div>
        <StatusBadge status={step.status} cached={step.cached} />
        {step.attempt > 1 ? (
          <span className="rounded bg-amber-50 px-1.5 py-0.5 text-xs text-amber-800 tabular-nums" title="Attempt / allowed attempts">
            attempt {step.attempt}/{step.maxAttempts}
          </span>
        ) : null}
        <span className="w-20 text-right text-sm text-zinc-600 tabular-nums" title={step.cached ? 'Not run: answered from the cache' : 'Duration'}>
          {duration === null || step.cached ? '—' : formatDuration(duration)}
        </span>
        <button
          type="button"
          onClick={() => onShowLogs(step.nodeId)}
          className={clsx('rounded p-1 text-zinc-400 hover:bg-zinc-100 hover:text-zinc-700', logsSelected && 'bg-zinc-100 text-zinc-800')}
          title={`Show only the logs of ${step.nodeId}`}
          aria-pressed={logsSelected}
        >
          <ScrollText className="size-4" aria-hidden />
          <span className="sr-only">Logs of {step.nodeId}</span>
        </button>
        {opensPage ? <ChevronRight className="size-4 text-zinc-300" aria-hidden /> : <span className="w-4" />}
      </div>

      {step.status === 'running' ? <StepProgress fraction={step.progress} message={step.progressMessage} /> : null}
      {step.curve && step.curve.length > 1 ? (
        <div className="mb-3 ml-5">
          <TrainingCurve curve={step.curve} width={360} />
        </div>
      ) : null}
      {step.status === 'failed' && step.error ? (
        <pre className="mx-5 mb-3 overflow-x-auto rounded-md border border-red-200 bg-red-50 px-3 py-2 font-mono text-xs whitespace-pre-wrap text-red-800">
          {step.error}
        </pre>
      ) : null}
      {muted && step.error ? <p className="mb-3 ml-5 text-xs text-zinc-500">{step.error}</p> : null}
      {outputs.length > 0 ? (
        <div className="mb-3 ml-5 flex flex-wrap items-center gap-2">
          <span className="text-xs text-zinc-500">Outputs</span>
          {outputs.map((port) => {
            const type = definition?.ports.out[port]
            const Icon = type === 'report' ? FileText : Table2
            return (
              <Link
                key={port}
                href={`${stepHref}?port=${encodeURIComponent(port)}`}
                data-testid={`output-${step.nodeId}-${port}`}
                className="inline-flex items-center gap-1 rounded-md border border-zinc-200 bg-white px-2 py-0.5 text-xs font-medium text-zinc-700 hover:border-accent-500 hover:text-accent-700"
              >
                <Icon className="size-3.5" aria-hidden />
                {port}
              </Link>
            )
          })}
        </div>
      ) : null}
    </li>
  )
}

/** A cached step says which run computed its result, and links there. */
function CachedFrom({ runId }: { runId: string | null }) {
  return (
    <p className="mt-0.5 text-xs text-teal-700" data-testid="cached-from" title="Same node, config and inputs as a step of that run: its result was reused, not computed again">
      cached
      {runId ? (
        <>
          {' · from run '}
          <Link href={`/runs/${runId}`} className="font-mono underline-offset-2 hover:underline">
            {shortId(runId)}
          </Link>
        </>
      ) : (
        ': same inputs and config as an earlier run'
      )}
    </p>
  )
}

function StepProgress({ fraction, message }: { fraction: number | null; message: string | null }) {
  const pct = fraction === null ? null : Math.round(Math.min(1, Math.max(0, fraction)) * 100)
  return (
    <div className="mb-3 ml-5 mr-4">
      <div className="h-1.5 overflow-hidden rounded-full bg-blue-100" role="progressbar" aria-valuenow={pct ?? undefined} aria-valuemin={0} aria-valuemax={100}>
        <div
          className={clsx('h-full rounded-full bg-blue-500 transition-[width] duration-300', pct === null && 'w-1/3 animate-pulse')}
          style={pct === null ? undefined : { width: `${pct}%` }}
        />
      </div>
      <p className="mt-1 flex justify-between text-xs text-blue-700">
        <span className="truncate">{message ?? 'working…'}</span>
        {pct === null ? null : <span className="tabular-nums">{pct}%</span>}
      </p>
    </div>
  )
}

/** The definition's port order first, then anything else the step wrote. */
function orderedOutputs(outputs: Record<string, string>, declared: string[]): string[] {
  const present = Object.keys(outputs ?? {})
  return [...declared.filter((p) => present.includes(p)), ...present.filter((p) => !declared.includes(p))]
}
