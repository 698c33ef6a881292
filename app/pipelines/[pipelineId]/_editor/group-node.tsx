'use client'
import type { Node, NodeProps } from '@xyflow/react'
import { clsx } from 'clsx'
import { memo, useState } from 'react'
import { renameGroup } from './edits'
import { useEditor } from './store'

// not React Flow's own 'group' type: that one brings sub-flow styling a frame does not want
export type GroupFlowNode = Node<{ groupId: string; label: string }, 'frame'>

/** A named frame around nodes; dragging it moves them all. Double-click the name to rename. */
function GroupNodeView({ data, selected }: NodeProps<GroupFlowNode>) {
  const [draft, setDraft] = useState<string | null>(null)
  const edit = useEditor((s) => s.edit)
  const finish = () => {
    const label = draft?.trim()
    if (label && label !== data.label) edit((doc) => renameGroup(doc, data.groupId, label))
    setDraft(null)
  }
  return (
    <div
      className={clsx(
        'h-full w-full rounded-xl border-2 border-dashed bg-accent-50/40 dark:bg-zinc-800/40',
        selected ? 'border-accent-500' : 'border-accent-200 dark:border-zinc-600',
      )}
      data-testid={`group-${data.groupId}`}
    >
      {draft !== null ? (
        <input
          autoFocus
          aria-label="Group name"
          className="nodrag m-1.5 rounded border border-accent-300 bg-white px-1.5 text-xs font-semibold dark:bg-zinc-900"
          value={draft}
          onChange={(e) => setDraft(e.target.value)}
          onBlur={finish}
          onKeyDown={(e) => {
            if (e.key === 'Enter' || e.key === 'Escape') finish()
          }}
        />
      ) : (
        <div
          className="px-3 py-1 text-xs font-semibold tracking-wide text-accent-700 uppercase dark:text-accent-100"
          onDoubleClick={() => setDraft(data.label)}
          title="Double-click to rename"
        >
          {data.label}
        </div>
      )}
    </div>
  )
}

export const GroupNode = memo(GroupNodeView)
