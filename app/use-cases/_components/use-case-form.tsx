'use client'
import { useRouter } from 'next/navigation'
import { useState } from 'react'
import { Alert } from '@/app/_components/alert'
import { Field } from '@/app/_components/field'
import { postJson } from '@/app/_lib/post-json'
import { currencies, dataAvailabilities, useCaseStatuses } from '@/server/use-cases/model'

const textFields = [
  { name: 'title', label: 'Title', required: true },
  { name: 'businessOwner', label: 'Business owner' },
  { name: 'affectedProcess', label: 'Affected process' },
] as const
const numberFields = [
  { name: 'severity', label: 'Severity, your estimate (1–10)', hint: 'Stakeholder ratings take over once there are some' },
  { name: 'devCost', label: 'Development cost (one-off)' },
  { name: 'prodCostMonthly', label: 'Production cost per month' },
  { name: 'maintenanceCostYearly', label: 'Maintenance cost per year' },
  { name: 'confidence', label: 'Confidence in these estimates (%)', hint: '0–100' },
] as const

/** Sends what was filled in; the server's checks (the same zod schema) name any field that is wrong. */
function collect(form: HTMLFormElement): Record<string, unknown> {
  const data = new FormData(form)
  const body: Record<string, unknown> = {}
  for (const [key, value] of data.entries()) {
    const text = String(value).trim()
    if (text === '') continue
    body[key] = numberFields.some((f) => f.name === key) ? Number(text) : text
  }
  return body
}

export function UseCaseForm() {
  const router = useRouter()
  const [error, setError] = useState<string | null>(null)
  const [fieldErrors, setFieldErrors] = useState<Record<string, string>>({})
  const [busy, setBusy] = useState(false)

  const submit = async (form: HTMLFormElement) => {
    setBusy(true)
    const result = await postJson<{ id: string }>('/api/v1/use-cases', collect(form))
    if (result.ok) return router.push(`/use-cases/${result.data.id}`)
    setError(result.error)
    setFieldErrors(result.fieldErrors)
    setBusy(false)
  }

  const select = (name: string, label: string, options: readonly string[], initial: string) => (
    <div>
      <label htmlFor={name} className="mb-1 block text-sm font-medium text-zinc-700">{label}</label>
      <select id={name} name={name} defaultValue={initial} className="input">
        {options.map((o) => (
          <option key={o} value={o}>{o}</option>
        ))}
      </select>
    </div>
  )

  return (
    <form
      className="card grid max-w-3xl gap-4 p-6 sm:grid-cols-2"
      onSubmit={(e) => {
        e.preventDefault()
        void submit(e.currentTarget)
      }}
    >
      {error ? <div className="sm:col-span-2"><Alert tone="error">{error}</Alert></div> : null}
      {textFields.map((f) => (
        <Field key={f.name} id={f.name} name={f.name} label={f.label} required={'required' in f} error={fieldErrors[f.name]} />
      ))}
      <div className="sm:col-span-2">
        <label htmlFor="problem" className="mb-1 block text-sm font-medium text-zinc-700">Problem statement</label>
        <textarea id="problem" name="problem" rows={3} className="input" placeholder="What hurts, for whom, how often" />
      </div>
      {select('dataAvailability', 'Data availability', dataAvailabilities, 'none')}
      {select('status', 'Status', useCaseStatuses, 'idea')}
      {numberFields.map((f) => (
        <Field key={f.name} id={f.name} name={f.name} label={f.label} inputMode="decimal" hint={'hint' in f ? f.hint : undefined} error={fieldErrors[f.name]} />
      ))}
      {select('currency', 'Currency', currencies, 'EUR')}
      <div className="sm:col-span-2">
        <button type="submit" className="btn-primary" disabled={busy} data-testid="create-use-case">Create use case</button>
      </div>
    </form>
  )
}
