'use client'
import { useRouter } from 'next/navigation'
import { useState, type ReactNode } from 'react'
import { Alert } from '@/app/_components/alert'
import { Field } from '@/app/_components/field'
import { sendJson } from '@/app/_lib/post-json'
import { currencies, dataAvailabilities, riceImpacts, useCaseStatuses, wsjfScale, type UseCaseFields } from '@/server/use-cases/model'

type NumberKey = 'severity' | 'devCost' | 'prodCostMonthly' | 'maintenanceCostYearly' | 'confidence' | 'reach' | 'effort'
type ScaleKey = 'impact' | 'businessValue' | 'timeCriticality' | 'riskReduction' | 'jobSize'

const textFields = [
  { name: 'title', label: 'Title', required: true },
  { name: 'businessOwner', label: 'Business owner' },
  { name: 'affectedProcess', label: 'Affected process' },
] as const
const estimateFields: { name: NumberKey; label: string; hint?: string }[] = [
  { name: 'severity', label: 'Severity, your estimate (1–10)', hint: 'Stakeholder ratings take over once there are some' },
  { name: 'devCost', label: 'Development cost (one-off)' },
  { name: 'prodCostMonthly', label: 'Production cost per month' },
  { name: 'maintenanceCostYearly', label: 'Maintenance cost per year' },
  { name: 'confidence', label: 'Confidence in these estimates (%)', hint: '0–100' },
]
const riceImpactLabels: Record<number, string> = { 3: '3 — massive', 2: '2 — high', 1: '1 — medium', 0.5: '0.5 — low', 0.25: '0.25 — minimal' }
const numberKeys = new Set<string>([...estimateFields.map((f) => f.name), 'reach', 'effort', 'impact', 'businessValue', 'timeCriticality', 'riskReduction', 'jobSize'])

/**
 * What was filled in, as the API takes it. Creating leaves empty fields out (defaults apply);
 * editing sends an emptied number as null, so clearing an estimate clears it.
 */
function collect(form: HTMLFormElement, editing: boolean): Record<string, unknown> {
  const body: Record<string, unknown> = {}
  for (const [key, value] of new FormData(form).entries()) {
    const text = String(value).trim()
    const isNumber = numberKeys.has(key)
    if (text === '') {
      if (editing) body[key] = isNumber ? (key === 'confidence' ? 50 : null) : ''
      continue
    }
    // a word in a number field is sent as is, so the server's message names the field
    body[key] = isNumber && Number.isFinite(Number(text)) ? Number(text) : text
  }
  return body
}

function Select({ name, label, options, initial, hint }: { name: string; label: string; options: readonly { value: string; label: string }[]; initial: string; hint?: string }) {
  return (
    <div>
      <label htmlFor={name} className="mb-1 block text-sm font-medium text-zinc-700">{label}</label>
      <select id={name} name={name} defaultValue={initial} className="input">
        {options.map((o) => (
          <option key={o.value} value={o.value}>{o.label}</option>
        ))}
      </select>
      {hint ? <p className="mt-1 text-xs text-zinc-500">{hint}</p> : null}
    </div>
  )
}

const plain = (values: readonly (string | number)[]) => values.map((v) => ({ value: String(v), label: String(v) }))
const optional = (options: { value: string; label: string }[]) => [{ value: '', label: '—' }, ...options]

function Group({ title, hint, children }: { title: string; hint: string; children: ReactNode }) {
  return (
    <fieldset className="grid gap-4 border-t border-zinc-200 pt-4 sm:col-span-2 sm:grid-cols-2">
      <legend className="pr-2 text-sm font-semibold text-zinc-800">{title}</legend>
      <p className="-mt-2 text-xs text-zinc-500 sm:col-span-2">{hint}</p>
      {children}
    </fieldset>
  )
}

/** Creates a use case, or (with `initial`) edits one; the server's checks name any field that is wrong. */
export function UseCaseForm({ initial }: { initial?: UseCaseFields & { id: string } }) {
  const router = useRouter()
  const [error, setError] = useState<string | null>(null)
  const [fieldErrors, setFieldErrors] = useState<Record<string, string>>({})
  const [busy, setBusy] = useState(false)
  const editing = initial !== undefined
  const value = (key: keyof UseCaseFields) => {
    if (!initial) return key === 'confidence' ? '50' : ''
    return initial[key] === null ? '' : String(initial[key])
  }

  const submit = async (form: HTMLFormElement) => {
    setBusy(true)
    const body = collect(form, editing)
    const result = editing ? await sendJson<{ id: string }>('PATCH', `/api/v1/use-cases/${initial.id}`, body) : await sendJson<{ id: string }>('POST', '/api/v1/use-cases', body)
    if (result.ok) {
      router.push(`/use-cases/${result.data.id}`)
      router.refresh()
      return
    }
    setError(result.error)
    setFieldErrors(result.fieldErrors)
    setBusy(false)
  }

  const numberField = (f: { name: NumberKey; label: string; hint?: string }) => (
    <Field key={f.name} id={f.name} name={f.name} label={f.label} inputMode="decimal" defaultValue={value(f.name)} hint={f.hint} error={fieldErrors[f.name]} />
  )
  const scaleField = (name: ScaleKey, label: string, options: { value: string; label: string }[]) => (
    <div key={name}>
      <Select name={name} label={label} options={optional(options)} initial={value(name)} />
      {fieldErrors[name] ? <p id={`${name}-error`} className="mt-1 text-sm text-red-600">{fieldErrors[name]}</p> : null}
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
        <Field key={f.name} id={f.name} name={f.name} label={f.label} required={'required' in f} defaultValue={value(f.name)} error={fieldErrors[f.name]} />
      ))}
      <div className="sm:col-span-2">
        <label htmlFor="problem" className="mb-1 block text-sm font-medium text-zinc-700">Problem statement</label>
        <textarea id="problem" name="problem" rows={3} className="input" placeholder="What hurts, for whom, how often" defaultValue={value('problem')} />
      </div>
      <Select name="dataAvailability" label="Data availability" options={plain(dataAvailabilities)} initial={initial?.dataAvailability ?? 'none'} />
      <Select name="status" label="Status" options={plain(useCaseStatuses)} initial={initial?.status ?? 'idea'} />
      {estimateFields.map(numberField)}
      <Select name="currency" label="Currency" options={plain(currencies)} initial={initial?.currency ?? 'EUR'} />
      <Group title="RICE inputs" hint="Used when the board scores with RICE: reach × impact × confidence ÷ effort.">
        {numberField({ name: 'reach', label: 'Reach (people or events per quarter)' })}
        {scaleField('impact', 'Impact', riceImpacts.map((n) => ({ value: String(n), label: riceImpactLabels[n]! })))}
        {numberField({ name: 'effort', label: 'Effort (person-months)' })}
      </Group>
      <Group title="WSJF inputs" hint="Used when the board scores with WSJF: (business value + time criticality + risk reduction) ÷ job size, each on 1–20.">
        {scaleField('businessValue', 'Business value', plain(wsjfScale))}
        {scaleField('timeCriticality', 'Time criticality', plain(wsjfScale))}
        {scaleField('riskReduction', 'Risk reduction or opportunity', plain(wsjfScale))}
        {scaleField('jobSize', 'Job size', plain(wsjfScale))}
      </Group>
      <div className="sm:col-span-2">
        <label htmlFor="notes" className="mb-1 block text-sm font-medium text-zinc-700">Notes</label>
        <textarea id="notes" name="notes" rows={3} className="input" defaultValue={value('notes')} />
      </div>
      <div className="flex gap-3 sm:col-span-2">
        <button type="submit" className="btn-primary" disabled={busy} data-testid={editing ? 'save-use-case' : 'create-use-case'}>
          {editing ? 'Save changes' : 'Create use case'}
        </button>
        {editing ? <button type="button" className="btn-secondary" onClick={() => router.back()}>Cancel</button> : null}
      </div>
    </form>
  )
}
