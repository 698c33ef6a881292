'use client'
import { clsx } from 'clsx'
import { useState } from 'react'

interface ConfirmButtonProps {
  /** the button's word, e.g. "Revoke"; the confirm says "Yes, revoke" */
  verb: string
  /** shown while it works, e.g. "Revoking…" */
  busyText: string
  /** "Revoke “ci”?" */
  question: string
  /** what happens, on hover */
  consequence: string
  onConfirm: () => Promise<void>
  /** test ids of the first button and of the confirming one */
  testIds: { start: string; confirm: string }
  /** stack the question above the buttons, for narrow table cells */
  stacked?: boolean
}

/** A destructive action that asks once more, inline, instead of a modal. */
export function ConfirmButton({ verb, busyText, question, consequence, onConfirm, testIds, stacked = false }: ConfirmButtonProps) {
  const [confirming, setConfirming] = useState(false)
  const [busy, setBusy] = useState(false)
  if (!confirming) {
    return (
      <button type="button" className="btn-danger px-2 py-1 text-xs" onClick={() => setConfirming(true)} data-testid={testIds.start}>
        {verb}
      </button>
    )
  }
  const confirm = async () => {
    setBusy(true)
    try {
      await onConfirm()
    } finally {
      setBusy(false)
      setConfirming(false)
    }
  }
  return (
    <span className={clsx('inline-flex gap-2 text-xs text-zinc-600', stacked ? 'flex-col items-end gap-1' : 'items-center')}>
      <span title={consequence}>{question}</span>
      <span className="inline-flex gap-2">
        <button
          type="button"
          className="btn-danger border-red-600 bg-red-600 px-2 py-1 text-xs text-white hover:bg-red-700"
          disabled={busy}
          onClick={confirm}
          data-testid={testIds.confirm}
        >
          {busy ? busyText : `Yes, ${verb.toLowerCase()}`}
        </button>
        <button type="button" className="btn-secondary px-2 py-1 text-xs" onClick={() => setConfirming(false)}>
          Keep
        </button>
      </span>
    </span>
  )
}
