'use client'
import { clsx } from 'clsx'
import { ExternalLink, RotateCcw, Trash2, X } from 'lucide-react'
import Link from 'next/link'
import { useEffect, useMemo, useState } from 'react'
import { shortId } from '@/app/_components/format'
import { StatusBadge } from '@/app/_components/status-badge'
import { trpc } from '@/app/_lib/trpc'
import type { DatasetColumn } from '@/nodes/contract'
import { findNodeDefinition } from '@/nodes/registry'
import { viewsFor } from '@/nodes/views'
import { nodeId as nodeIdSchema } from '@/server/compiler/pipeline-file'
import { ConfigForm } from '../_config-form/config-form'
import * as edits from './edits'
import { OutputPreview } from './output-preview'
import { useEditor } from './store'
import { isRunActive } from './use-live-run'
import { rerunFromNode } from './use-persistence'

type Tab = 'settings' | 'logs' | 'output'

/** The clicked node: its settings (a form from its schema), its logs and its output from the last run. */
export function NodePanel({ nodeId, canEdit, canRun }: { nodeId: string; canEdit: boolean; canRun: boolean }) {
  const node = useEditor((s) => s.history.present.nodes.find((n) => n.id === nodeId))
  const step = useEditor((s) => s.run?.steps.find((st) => st.nodeId === nodeId))
  const [tab, setTab] = useState<Tab>('settings')
  const schema = useUpstreamSchema(nodeId)
  const columns = useMemo(() => (schema ? schema.map((c) => c.name) : null), [schema])
  if (!node) return null
  const definition = findNodeDefinition(node.kind)
  const ConfigAside = viewsFor(node.kind)?.ConfigAside

  return (
    <aside className="flex w-[26rem] shrink-0 flex-col border-l border-zinc-200 bg-white dark:border-zinc-700 dark:bg-zinc-900" aria-label={`Node ${nodeId}`} data-testid="node-panel">
      <div className="flex items-start gap-2 border-b border-zinc-200 p-3 dark:border-zinc-700">
        <div className="min-w-0 flex-1">
          <NodeIdField nodeId={nodeId} disabled={!canEdit} />
          <p className="mt-1 text-xs text-zinc-500">{definition ? `${definition.ui.title} · ${definition.ui.description}` : `Unknown node kind "${node.kind}"`}</p>
        </div>
        {step ? <StatusBadge status={step.status} cached={step.cached} /> : null}
        {canEdit ? (
          <button
            type="button"
            aria-label="Delete node"
            title="Delete node"
            className="rounded p-1 text-zinc-500 hover:bg-red-50 hover:text-red-700"
            onClick={() => {
              useEditor.getState().edit((d) => edits.deleteElements(d, { nodes: [nodeId] }))
              useEditor.getState().openPanel(null)
            }}
          >
            <Trash2 className="size-4" />
          </button>
        ) : null}
        <button type="button" aria-label="Close panel" className="rounded p-1 text-zinc-500 hover:bg-zinc-100 dark:hover:bg-zinc-800" onClick={() => useEditor.getState().openPanel(null)}>
          <X className="size-4" />
        </button>
      </div>
      {step ? <StepOrigin nodeId={nodeId} canRun={canRun} /> : null}
      <div role="tablist" className="flex gap-1 border-b border-zinc-200 px-3 dark:border-zinc-700">
        {(['settings', 'logs', 'output'] as const).map((t) => (
          <button
            key={t}
            role="tab"
            type="button"
            aria-selected={tab === t}
            data-testid={`panel-tab-${t}`}
            onClick={() => setTab(t)}
            className={clsx(
              '-mb-px border-b-2 px-2 py-2 text-sm capitalize',
              tab === t ? 'border-accent-600 font-medium text-accent-700 dark:text-accent-100' : 'border-transparent text-zinc-500 hover:text-zinc-800',
            )}
          >
            {t}
          </button>
        ))}
      </div>
      <div className="flex-1 overflow-y-auto p-3">
        {tab === 'settings' ? (
          <>
            <ConfigForm
              kind={node.kind}
              value={node.config}
              columns={columns}
              disabled={!canEdit}
              onChange={(config, field) => useEditor.getState().edit((d) => edits.setConfig(d, nodeId, config), `config:${nodeId}:${field}`)}
            />
            {ConfigAside ? (
              <div className="mt-4 border-t border-zinc-200 pt-3 dark:border-zinc-700" data-testid="config-aside">
                <ConfigAside config={node.config} nodeId={nodeId} inputSchema={schema} />
              </div>
            ) : null}
          </>
        ) : tab === 'logs' ? (
          <StepLogs nodeId={nodeId} />
        ) : (
          <OutputPreview nodeId={nodeId} />
        )}
      </div>
    </aside>
  )
}

/**
 * Where the node's result in the shown run came from (the run that computed it, when cached), and
 * "Re-run from here" once that run has ended: this node and what depends on it run again, the
 * rest is answered from the cache.
 */
function StepOrigin({ nodeId, canRun }: { nodeId: string; canRun: boolean }) {
  const run = useEditor((s) => s.run)
  const step = run?.steps.find((st) => st.nodeId === nodeId)
  const [starting, setStarting] = useState(false)
  if (!run || !step) return null
  const ended = !isRunActive(run.status)
  return (
    <div className="flex items-center gap-2 border-b border-zinc-200 px-3 py-2 text-xs text-zinc-600 dark:border-zinc-700 dark:text-zinc-300" data-testid="step-origin">
      <span className="min-w-0 flex-1 truncate">
        {step.cached && step.cachedFromRunId ? (
          <>
            cached from run{' '}
            <Link href={`/runs/${step.cachedFromRunId}`} className="link font-mono" data-testid="panel-cached-from">
              {shortId(step.cachedFromRunId)}
            </Link>
          </>
        ) : (
          <>
            in run{' '}
            <Link href={`/runs/${run.id}`} className="link font-mono">
              {shortId(run.id)}
            </Link>{' '}
            (v{run.version})
          </>
        )}
      </span>
      {canRun ? (
        <button
          type="button"
          data-testid="rerun-from-here"
          disabled={!ended || starting}
          title={
            ended
              ? `Run ${nodeId} and every node downstream of it again, on v${run.version}; the other steps are answered from the cache`
              : 'The run has not ended yet'
          }
          className="inline-flex items-center gap-1 rounded-md border border-zinc-300 px-2 py-1 font-medium text-zinc-700 hover:border-accent-500 hover:text-accent-700 disabled:opacity-50 dark:border-zinc-600 dark:text-zinc-200"
          onClick={async () => {
            setStarting(true)
            await rerunFromNode(nodeId)
            setStarting(false)
          }}
        >
          <RotateCcw className="size-3.5" aria-hidden />
          Re-run from here
        </button>
      ) : null}
    </div>
  )
}

/** The node's id, renamed in place: edges and groups follow. */
function NodeIdField({ nodeId, disabled }: { nodeId: string; disabled: boolean }) {
  const [value, setValue] = useState(nodeId)
  const [error, setError] = useState<string | null>(null)
  useEffect(() => setValue(nodeId), [nodeId])
  const commit = () => {
    if (value === nodeId) return setError(null)
    const parsed = nodeIdSchema.safeParse(value)
    if (!parsed.success) return setError(parsed.error.issues[0]!.message)
    if (useEditor.getState().history.present.nodes.some((n) => n.id === value)) return setError(`"${value}" is taken by another node`)
    setError(null)
    useEditor.getState().edit((d) => edits.renameNode(d, nodeId, value))
    useEditor.getState().openPanel(value)
  }
  return (
    <div>
      <label className="sr-only" htmlFor="node-id">
        Node id
      </label>
      <input
        id="node-id"
        data-testid="node-id"
        disabled={disabled}
        className="w-full rounded border border-transparent bg-transparent px-1 font-mono text-sm font-semibold hover:border-zinc-300 focus:border-accent-500 focus:outline-none dark:text-zinc-100"
        value={value}
        onChange={(e) => setValue(e.target.value)}
        onBlur={commit}
        onKeyDown={(e) => e.key === 'Enter' && commit()}
        aria-invalid={!!error}
      />
      {error ? (
        <p role="alert" className="mt-1 text-xs text-red-600">
          {error}
        </p>
      ) : null}
    </div>
  )
}

function StepLogs({ nodeId }: { nodeId: string }) {
  const stepId = useEditor((s) => s.run?.steps.find((st) => st.nodeId === nodeId)?.id)
  const logs = useEditor((s) => s.logs)
  const runId = useEditor((s) => s.run?.id)
  if (!stepId) return <p className="text-sm text-zinc-500">This node has not run yet. Run the pipeline to see its logs.</p>
  const lines = logs.filter((l) => l.stepId === stepId)
  return (
    <div data-testid="panel-logs">
      {lines.length === 0 ? <p className="text-sm text-zinc-500">No log lines (yet).</p> : null}
      <ol className="space-y-0.5 font-mono text-xs">
        {lines.map((line) => (
          <li key={line.id} className={clsx(line.level === 'error' ? 'text-red-600' : line.level === 'warn' ? 'text-amber-700' : 'text-zinc-700 dark:text-zinc-300')}>
            <span className="text-zinc-400">{new Date(line.at).toLocaleTimeString()}</span> {line.message}
          </li>
        ))}
      </ol>
      {runId ? (
        <Link className="link mt-3 inline-flex items-center gap-1 text-sm" href={`/runs/${runId}`}>
          The whole run <ExternalLink className="size-3.5" aria-hidden />
        </Link>
      ) : null}
    </div>
  )
}

/** Column names of the dataset feeding the node, once the step upstream has run. */
function useUpstreamSchema(nodeId: string): DatasetColumn[] | null {
  const artifactId = useEditor((s) => {
    const edge = s.history.present.edges.find((e) => e.to.node === nodeId)
    if (!edge) return null
    return s.run?.steps.find((st) => st.nodeId === edge.from.node)?.outputs[edge.from.port] ?? null
  })
  const [columns, setColumns] = useState<DatasetColumn[] | null>(null)
  useEffect(() => {
    setColumns(null)
    if (!artifactId) return
    let live = true
    trpc.artifacts.describe
      .query({ id: artifactId })
      .then((artifact) => live && setColumns('schema' in artifact && artifact.schema ? artifact.schema : null))
      .catch(() => live && setColumns(null))
    return () => {
      live = false
    }
  }, [artifactId])
  return columns
}
