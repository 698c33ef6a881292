'use client'
import { Settings2 } from 'lucide-react'
import { useRouter } from 'next/navigation'
import { useState } from 'react'
import { sendJson } from '@/app/_lib/post-json'
import type { BoardSettings, ScoringMethod } from '@/server/use-cases/model'

export const methodLabels: Record<ScoringMethod, { label: string; inSentence: string; formula: string }> = {
  default: { label: 'Value per cost', inSentence: 'value per cost', formula: 'severity^a ÷ (total cost of ownership in thousands)^b' },
  rice: { label: 'RICE', inSentence: 'RICE', formula: 'reach × impact × confidence ÷ effort' },
  wsjf: { label: 'WSJF', inSentence: 'WSJF', formula: '(business value + time criticality + risk reduction) ÷ job size' },
}

/** The board's scoring method, cost horizon and weights; product managers change them for everyone. */
export function BoardSettingsPanel({ settings, canEdit }: { settings: BoardSettings; canEdit: boolean }) {
  const router = useRouter()
  const [open, setOpen] = useState(false)
  const [draft, setDraft] = useState({ ...settings, horizonYears: String(settings.horizonYears), painWeight: String(settings.painWeight), costWeight: String(settings.costWeight) })
  const [errors, setErrors] = useState<Record<string, string>>({})
  const [error, setError] = useState<string | null>(null)

  const save = async () => {
    const number = (text: string) => (Number.isFinite(Number(text)) && text.trim() !== '' ? Number(text) : text)
    const body = { method: draft.method, horizonYears: number(draft.horizonYears), painWeight: number(draft.painWeight), costWeight: number(draft.costWeight) }
    const result = await sendJson('PATCH', '/api/v1/use-cases/settings', body)
    if (!result.ok) {
      setErrors(result.fieldErrors)
      return setError(result.error)
    }
    setErrors({})
    setError(null)
    setOpen(false)
    router.refresh()
  }

  const summary = `${methodLabels[settings.method].label}${settings.method === 'default' ? ` · costs over ${settings.horizonYears} years · weights ${settings.painWeight} / ${settings.costWeight}` : ''}`
  if (!open) {
    return (
      <button type="button" className="btn-secondary" disabled={!canEdit} title={canEdit ? 'Change how the board scores' : 'Only product managers change the scoring'} onClick={() => setOpen(true)} data-testid="board-settings-open">
        <Settings2 className="size-4" aria-hidden /> Scoring: {summary}
      </button>
    )
  }
  const numberInput = (key: 'horizonYears' | 'painWeight' | 'costWeight', label: string, hint: string) => (
    <label className="text-sm">
      <span className="block font-medium text-zinc-700">{label}</span>
      <input className="input w-28" inputMode="decimal" value={draft[key]} onChange={(e) => setDraft({ ...draft, [key]: e.target.value })} data-testid={`setting-${key}`} aria-invalid={errors[key] ? true : undefined} />
      <span className={errors[key] ? 'block text-xs text-red-600' : 'block text-xs text-zinc-500'}>{errors[key] ?? hint}</span>
    </label>
  )
  return (
    <form
      className="card w-full space-y-3 p-4"
      onSubmit={(e) => {
        e.preventDefault()
        void save()
      }}
    >
      <fieldset className="flex flex-wrap gap-4">
        <legend className="mb-2 text-sm font-semibold text-zinc-900">How the board scores (for everyone)</legend>
        {(Object.keys(methodLabels) as ScoringMethod[]).map((m) => (
          <label key={m} className="flex max-w-64 items-start gap-2 text-sm">
            <input type="radio" name="method" value={m} checked={draft.method === m} onChange={() => setDraft({ ...draft, method: m })} data-testid={`method-${m}`} className="mt-1" />
            <span>
              <b>{methodLabels[m].label}</b>
              <span className="block font-mono text-xs text-zinc-500">{methodLabels[m].formula}</span>
            </span>
          </label>
        ))}
      </fieldset>
      <div className="flex flex-wrap gap-4">
        {numberInput('horizonYears', 'Cost horizon (years)', 'running costs counted this long')}
        {numberInput('painWeight', 'Pain weight a', '0–5; above 1 favours severity')}
        {numberInput('costWeight', 'Cost weight b', '0–5; above 1 punishes cost')}
      </div>
      {error && Object.keys(errors).length === 0 ? <p role="alert" className="text-sm text-red-700">{error}</p> : null}
      <div className="flex gap-2">
        <button type="submit" className="btn-primary" data-testid="board-settings-save">Save scoring</button>
        <button type="button" className="btn-secondary" onClick={() => setOpen(false)}>Cancel</button>
      </div>
    </form>
  )
}
