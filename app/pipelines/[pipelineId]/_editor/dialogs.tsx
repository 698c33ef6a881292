'use client'
import { X } from 'lucide-react'
import { useEffect, useRef, useState, type ReactNode } from 'react'
import { importText } from './actions'
import { shortcuts } from './shortcuts'

/** A modal on the native <dialog>: focus trapped, Esc closes, backdrop click closes. */
export function Modal({ title, open, onClose, children, testId }: { title: string; open: boolean; onClose(): void; children: ReactNode; testId?: string }) {
  const ref = useRef<HTMLDialogElement>(null)
  useEffect(() => {
    const dialog = ref.current
    if (!dialog) return
    if (open && !dialog.open) dialog.showModal()
    if (!open && dialog.open) dialog.close()
  }, [open])
  return (
    <dialog
      ref={ref}
      onClose={onClose}
      onClick={(e) => e.target === ref.current && onClose()}
      data-testid={testId}
      aria-labelledby={`${testId}-title`}
      className="m-auto w-full max-w-xl rounded-lg border border-zinc-200 bg-white p-0 text-zinc-900 shadow-xl backdrop:bg-zinc-900/40 dark:border-zinc-700 dark:bg-zinc-900 dark:text-zinc-100"
    >
      {open ? (
        <div className="p-5">
          <div className="mb-4 flex items-center justify-between">
            <h2 id={`${testId}-title`} className="text-base font-semibold">
              {title}
            </h2>
            <button type="button" className="rounded p-1 text-zinc-500 hover:bg-zinc-100 dark:hover:bg-zinc-800" onClick={onClose} aria-label="Close">
              <X className="size-4" />
            </button>
          </div>
          {children}
        </div>
      ) : null}
    </dialog>
  )
}

export function HelpDialog({ open, onClose }: { open: boolean; onClose(): void }) {
  return (
    <Modal title="Keyboard shortcuts" open={open} onClose={onClose} testId="help-dialog">
      <table className="w-full text-sm">
        <tbody>
          {shortcuts.map((s) => (
            <tr key={s.keys} className="border-t border-zinc-100 dark:border-zinc-800">
              <td className="py-1.5 pr-4 font-mono text-xs whitespace-nowrap text-zinc-600 dark:text-zinc-300">{s.keys}</td>
              <td className="py-1.5">{s.does}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <p className="mt-4 text-xs text-zinc-500">
        Connect an output (right side of a node) to an input (left side) of the same type. Click a node for its settings, logs and output.
      </p>
    </Modal>
  )
}

/**
 * Import a pipeline file by choosing it or pasting its JSON. A file that is not a pipeline file
 * changes nothing: the dialog lists what is wrong with it.
 */
export function ImportDialog({ open, onClose }: { open: boolean; onClose(): void }) {
  const [text, setText] = useState('')
  const [problems, setProblems] = useState<string[]>([])

  const close = () => {
    setText('')
    setProblems([])
    onClose()
  }
  const apply = (content: string) => {
    const result = importText(content)
    if (result.ok) close()
    else setProblems(result.problems)
  }

  return (
    <Modal title="Import a pipeline file" open={open} onClose={close} testId="import-dialog">
      <p className="mb-3 text-sm text-zinc-600 dark:text-zinc-400">
        Replaces the graph on the canvas (undo brings it back). The pipeline keeps its name; save to keep the import.
      </p>
      <input
        type="file"
        accept=".json,application/json"
        data-testid="import-file"
        aria-label="Pipeline file to import"
        className="mb-3 block w-full text-sm"
        onChange={async (e) => {
          const file = e.target.files?.[0]
          if (file) apply(await file.text())
          e.target.value = ''
        }}
      />
      <label className="mb-1 block text-sm font-medium" htmlFor="import-text">
        …or paste its JSON
      </label>
      <textarea
        id="import-text"
        data-testid="import-text"
        className="input h-40 font-mono text-xs dark:border-zinc-600 dark:bg-zinc-800"
        value={text}
        onChange={(e) => setText(e.target.value)}
        placeholder='{ "apiVersion": "pipewright/v1", "name": "…", "nodes": [ … ], "edges": [ … ] }'
      />
      {problems.length > 0 ? (
        <div role="alert" data-testid="import-problems" className="mt-3 rounded-md border border-red-200 bg-red-50 p-3 text-sm text-red-800 dark:border-red-900 dark:bg-red-950 dark:text-red-200">
          <p className="font-medium">Not imported: this is not a pipeline file.</p>
          <ul className="mt-1 list-disc pl-5">
            {problems.map((p) => (
              <li key={p}>{p}</li>
            ))}
          </ul>
        </div>
      ) : null}
      <div className="mt-4 flex justify-end gap-2">
        <button type="button" className="btn-secondary" onClick={close}>
          Cancel
        </button>
        <button type="button" className="btn-primary" data-testid="import-apply" disabled={!text.trim()} onClick={() => apply(text)}>
          Import
        </button>
      </div>
    </Modal>
  )
}
