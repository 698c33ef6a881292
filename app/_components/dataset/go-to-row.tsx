'use client'
import { useState } from 'react'

/** "Go to row": a row number from 1 to the row count; anything else says what it takes. */
export function GoToRow({ total, onGo }: { total: number; onGo: (rowNumber: number) => void }) {
  const [value, setValue] = useState('')
  const [problem, setProblem] = useState<string | null>(null)
  const submit = () => {
    const n = Number(value.replaceAll(/[,_\s]/g, ''))
    if (!Number.isInteger(n) || n < 1 || n > total) {
      setProblem(`a row number from 1 to ${total.toLocaleString('en')}`)
      return
    }
    setProblem(null)
    onGo(n)
  }
  return (
    <form
      className="ml-auto flex items-center gap-2"
      onSubmit={(event) => {
        event.preventDefault()
        submit()
      }}
    >
      <label className="flex items-center gap-1.5">
        Go to row
        <input
          value={value}
          onChange={(event) => setValue(event.target.value)}
          inputMode="numeric"
          aria-invalid={problem !== null}
          className="w-28 rounded border border-zinc-300 px-2 py-0.5 font-mono text-xs text-zinc-800"
          placeholder={total > 0 ? total.toLocaleString('en') : ''}
          data-testid="go-to-row"
        />
      </label>
      <button type="submit" className="btn-secondary px-2 py-0.5 text-xs" disabled={total === 0}>
        Go
      </button>
      {problem ? (
        <span role="alert" className="text-red-700">
          {problem}
        </span>
      ) : null}
    </form>
  )
}
