'use client'
import { NodeResizer, type Node, type NodeProps } from '@xyflow/react'
import { memo, useState } from 'react'
import Markdown from 'react-markdown'
import { updateNote } from './edits'
import { useEditor } from './store'

export type NoteFlowNode = Node<{ noteId: string; text: string }, 'note'>

/** A sticky note: markdown, edited in place on double-click, resizable. */
function NoteNodeView({ data, selected }: NodeProps<NoteFlowNode>) {
  const [draft, setDraft] = useState<string | null>(null)
  const edit = useEditor((s) => s.edit)
  const beginDrag = useEditor((s) => s.beginDrag)
  const endDrag = useEditor((s) => s.endDrag)

  const finish = () => {
    if (draft !== null && draft !== data.text) edit((doc) => updateNote(doc, data.noteId, { text: draft }))
    setDraft(null)
  }

  return (
    <div
      className="h-full w-full overflow-hidden rounded-md border border-amber-300 bg-amber-50 text-sm text-zinc-800 shadow-sm dark:border-amber-700 dark:bg-amber-950 dark:text-amber-50"
      onDoubleClick={() => setDraft(data.text)}
      data-testid={`note-${data.noteId}`}
    >
      <NodeResizer isVisible={selected} minWidth={120} minHeight={60} onResizeStart={beginDrag} onResizeEnd={endDrag} />
      {draft !== null ? (
        <textarea
          autoFocus
          aria-label="Note text (markdown)"
          className="nodrag nowheel h-full w-full resize-none bg-transparent p-3 font-mono text-xs outline-none"
          value={draft}
          onChange={(e) => setDraft(e.target.value)}
          onBlur={finish}
          onKeyDown={(e) => {
            if (e.key === 'Escape' || (e.key === 'Enter' && (e.metaKey || e.ctrlKey))) finish()
          }}
        />
      ) : (
        <div className="note-markdown h-full overflow-auto p-3" title="Double-click to edit">
          {data.text.trim() ? <Markdown>{data.text}</Markdown> : <p className="text-zinc-400 italic">Double-click to write a note (markdown)</p>}
        </div>
      )}
    </div>
  )
}

export const NoteNode = memo(NoteNodeView)
