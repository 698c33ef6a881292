'use client'
import { Handle, Position, useStore, type Node, type NodeProps } from '@xyflow/react'
import { clsx } from 'clsx'
import { AlertTriangle, Box } from 'lucide-react'
import Link from 'next/link'
import { memo } from 'react'
import { formatDuration, shortId } from '@/app/_components/format'
import { nodeIcons } from '@/nodes/icons'
import { findNodeDefinition } from '@/nodes/registry'
import type { DiffMark } from './diff-view'
import { portRowTop, type PortLayout } from './ports-layout'


export interface StepView {
  /** the run the step belongs to: a waiting step links to its page there */
  runId: string
  status: string
  /** what a waiting step waits for */
  waitingFor: 'approval' | 'handoff' | null
  cached: boolean
  /** for a cached step: the run whose step computed the result */
  cachedFromRunId: string | null
  progress: number | null
  progressMessage: string | null
  durationMs: number | null
  error: string | null
  attempt: number
}

export type StepNodeData = {
  kind: string
  ports: PortLayout
  /** compile errors about this node, in words */
  problems: string[]
  step: StepView | null
  /** how the node changed, while two versions are compared */
  mark: DiffMark | null
}

export type StepFlowNode = Node<StepNodeData, 'step'>

/** Below this zoom a node draws as a plain box: at a glance a thousand nodes read as a shape, not as text. */
export const detailZoom = 0.45
const zoomedOut = (s: { transform: [number, number, number] }) => s.transform[2] < detailZoom

const statusRing: Record<string, string> = {
  queued: 'ring-zinc-300 dark:ring-zinc-600',
  running: 'ring-blue-400',
  waiting: 'ring-amber-400',
  succeeded: 'ring-green-500',
  cached: 'ring-teal-500',
  failed: 'ring-red-500',
  canceled: 'ring-zinc-300',
  skipped: 'ring-zinc-300',
}

const markStyle: Record<DiffMark, string> = {
  added: 'ring-4 ring-green-500',
  removed: 'ring-4 ring-red-500 opacity-60',
  changed: 'ring-4 ring-amber-400',
  moved: 'ring-2 ring-sky-300',
}

const statusText: Record<string, string> = {
  queued: 'text-zinc-500',
  running: 'text-blue-600',
  waiting: 'text-amber-700 dark:text-amber-400',
  succeeded: 'text-green-700 dark:text-green-400',
  cached: 'text-teal-700 dark:text-teal-400',
  failed: 'text-red-600 dark:text-red-400',
  canceled: 'text-zinc-500',
  skipped: 'text-zinc-500',
}

function StepNodeView({ id, data, selected }: NodeProps<StepFlowNode>) {
  const simple = useStore(zoomedOut)
  const definition = findNodeDefinition(data.kind)
  const Icon = definition ? nodeIcons[definition.ui.icon] : Box
  const state = data.step ? (data.step.cached && data.step.status === 'succeeded' ? 'cached' : data.step.status) : null
  const broken = data.problems.length > 0

  if (simple) {
    return (
      <div
        className={clsx(
          'h-full w-full rounded-lg border-2 bg-white dark:bg-zinc-800',
          broken ? 'border-red-400' : selected ? 'border-accent-500' : 'border-zinc-300 dark:border-zinc-600',
          state && ['ring-4', statusRing[state]],
        )}
      />
    )
  }

  return (
    <div
      className={clsx(
        'group relative h-full w-full rounded-lg border bg-white text-left shadow-sm dark:bg-zinc-800',
        broken ? 'border-red-400' : selected ? 'border-accent-500' : 'border-zinc-300 dark:border-zinc-600',
        selected && 'ring-2 ring-accent-200 dark:ring-accent-700',
        state && !selected && !data.mark && ['ring-2', statusRing[state]],
        data.mark && markStyle[data.mark],
      )}
      title={broken ? data.problems.join('\n') : undefined}
    >
      <div data-part="header" className="flex h-[50px] items-center gap-2 border-b border-zinc-100 px-3 dark:border-zinc-700">
        <span className="flex size-7 shrink-0 items-center justify-center rounded-md bg-accent-50 text-accent-600 dark:bg-zinc-700 dark:text-accent-100">
          <Icon className="size-4" aria-hidden />
        </span>
        <div className="min-w-0 flex-1">
          <div className="truncate text-sm font-medium text-zinc-900 dark:text-zinc-100">{id}</div>
          <div className="truncate text-xs text-zinc-500">{definition?.ui.title ?? `unknown kind "${data.kind}"`}</div>
        </div>
        {broken ? (
          <span className="flex items-center gap-0.5 text-xs font-medium text-red-600" aria-label={`${data.problems.length} problems`}>
            <AlertTriangle className="size-3.5" aria-hidden />
            {data.problems.length}
          </span>
        ) : null}
      </div>
      <Ports nodeId={id} ports={data.ports} />
      {data.mark ? (
        <span className="absolute -top-3 right-2 rounded-full bg-zinc-900 px-2 py-0.5 text-[10px] font-semibold tracking-wide text-white uppercase dark:bg-zinc-100 dark:text-zinc-900">
          {data.mark}
        </span>
      ) : null}
      {data.step ? <StepFooter nodeId={id} step={data.step} state={state!} /> : null}
    </div>
  )
}

function Ports({ nodeId, ports }: { nodeId: string; ports: PortLayout }) {
  // no positioned wrapper here: handle offsets are measured from the node's top edge
  return (
    <div>
      {ports.inputs.map((port, index) => (
        <Handle
          key={`in-${port.name}`}
          id={port.name}
          type="target"
          position={Position.Left}
          style={{ top: portRowTop(index) }}
          className="!size-3 !border-2 !border-white !bg-zinc-400 hover:!bg-accent-500 dark:!border-zinc-800"
          title={`input "${port.name}" · ${port.type}${port.optional ? ' · optional' : ''}`}
          aria-label={`${nodeId} input ${port.name} (${port.type}${port.optional ? ', optional' : ''})`}
        />
      ))}
      {ports.outputs.map((port, index) => (
        <Handle
          key={`out-${port.name}`}
          id={port.name}
          type="source"
          position={Position.Right}
          style={{ top: portRowTop(index) }}
          className="!size-3 !border-2 !border-white !bg-accent-500 hover:!bg-accent-700 dark:!border-zinc-800"
          title={`output "${port.name}" · ${port.type}`}
          aria-label={`${nodeId} output ${port.name} (${port.type})`}
        />
      ))}
      <div className="grid grid-cols-2 gap-2 px-3 py-1 text-[11px] leading-[22px] text-zinc-500">
        <div>
          {ports.inputs.map((port) => (
            <div key={port.name} className={port.optional ? 'truncate italic' : 'truncate'} title={`${port.name}: ${port.type}${port.optional ? ' (optional)' : ''}`}>
              {port.name}
              {port.optional ? <span className="ml-0.5 text-zinc-400">?</span> : null}
              <span className="ml-1 hidden text-zinc-400 group-hover:inline">{port.type}</span>
            </div>
          ))}
        </div>
        <div className="text-right">
          {ports.outputs.map((port) => (
            <div key={port.name} className="truncate" title={`${port.name}: ${port.type}`}>
              <span className="mr-1 hidden text-zinc-400 group-hover:inline">{port.type}</span>
              {port.name}
            </div>
          ))}
        </div>
      </div>
    </div>
  )
}

function StepFooter({ nodeId, step, state }: { nodeId: string; step: StepView; state: string }) {
  return (
    <div className="absolute inset-x-0 top-full mt-1 px-1 text-xs" data-testid="step-footer">
      <div className="flex items-center justify-between gap-2">
        <span className={clsx('font-medium', statusText[state])}>{state}</span>
        <span className="text-zinc-500 tabular-nums">
          {step.attempt > 1 ? `try ${step.attempt} · ` : ''}
          {step.durationMs !== null ? formatDuration(step.durationMs) : step.status === 'running' ? 'running…' : ''}
        </span>
      </div>
      {state === 'cached' && step.cachedFromRunId ? (
        <p className="truncate text-zinc-500" data-testid="cached-from">
          from run{' '}
          <Link href={`/runs/${step.cachedFromRunId}`} className="nodrag nopan font-mono text-teal-700 underline-offset-2 hover:underline dark:text-teal-400">
            {shortId(step.cachedFromRunId)}
          </Link>
        </p>
      ) : null}
      {step.waitingFor ? <WaitingLink step={step} nodeId={nodeId} /> : null}
      {step.status === 'running' && step.progress !== null ? (
        <div className="mt-1 h-1 overflow-hidden rounded bg-zinc-200 dark:bg-zinc-700" role="progressbar" aria-valuenow={Math.round(step.progress * 100)}>
          <div className="h-full bg-blue-500 transition-[width]" style={{ width: `${Math.round(step.progress * 100)}%` }} />
        </div>
      ) : null}
      {step.error ? <p className="mt-1 line-clamp-3 text-red-600 dark:text-red-400">{step.error}</p> : null}
    </div>
  )
}

/** A waiting step is decided (or given its model) on its page: the footer says what it waits for and links there. */
function WaitingLink({ step, nodeId }: { step: StepView; nodeId: string }) {
  return (
    <p className="truncate text-amber-800 dark:text-amber-300" data-testid="waiting-for">
      {step.waitingFor === 'approval' ? 'for approval · ' : 'for its model · '}
      <Link href={`/runs/${step.runId}/steps/${encodeURIComponent(nodeId)}`} className="nodrag nopan font-medium underline underline-offset-2">
        {step.waitingFor === 'approval' ? 'approve or reject' : 'open the step'}
      </Link>
    </p>
  )
}

export const StepNode = memo(StepNodeView)
