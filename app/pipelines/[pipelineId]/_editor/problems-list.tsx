'use client'
import { useReactFlow } from '@xyflow/react'
import { X } from 'lucide-react'
import { useEditor } from './store'
import type { Problems } from './use-problems'

/** Every compile error, each a button that shows its node. Running waits until the list is empty. */
export function ProblemsList({ problems, onClose }: { problems: Problems; onClose(): void }) {
  const { fitView } = useReactFlow()
  return (
    <aside className="flex w-[24rem] shrink-0 flex-col border-l border-zinc-200 bg-white dark:border-zinc-700 dark:bg-zinc-900" aria-label="Problems" data-testid="problems-list">
      <div className="flex items-center justify-between border-b border-zinc-200 p-3 dark:border-zinc-700">
        <h2 className="text-sm font-semibold dark:text-zinc-100">Problems · the pipeline cannot run until they are fixed</h2>
        <button type="button" aria-label="Close" onClick={onClose} className="rounded p-1 text-zinc-500 hover:bg-zinc-100 dark:hover:bg-zinc-800">
          <X className="size-4" />
        </button>
      </div>
      <ul className="flex-1 space-y-1 overflow-y-auto p-3 text-sm">
        {problems.all.length === 0 ? <li className="text-zinc-500">No problems.</li> : null}
        {problems.all.map((problem, i) => (
          <li key={i}>
            <button
              type="button"
              className="w-full rounded p-2 text-left text-red-800 hover:bg-red-50 dark:text-red-200 dark:hover:bg-red-950"
              onClick={() => {
                if (!problem.nodeId) return
                void fitView({ nodes: [{ id: problem.nodeId }], duration: 200, maxZoom: 1.2 })
                useEditor.getState().select({ nodes: [problem.nodeId], edges: [], notes: [], groups: [] })
                useEditor.getState().openPanel(problem.nodeId)
                onClose()
              }}
            >
              {problem.message}
            </button>
          </li>
        ))}
      </ul>
    </aside>
  )
}
