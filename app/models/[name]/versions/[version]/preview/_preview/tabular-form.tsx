'use client'
import { useMemo, useState, type FormEvent } from 'react'
import { AlertTriangle } from 'lucide-react'
import type { ModelMetadata } from '@/nodes/_lib/models/metadata'
import { formatNumber, formFields, rangeWarning, tabularFeeds, type CategoryField, type NumberField, type TabularFeeds } from './feeds'

/** The select's values: `missing`, `other` (the text box next to it holds the category), or `c<index>` of a training category; never the category itself, so no category can pose as a choice. */
const missingChoice = 'missing'
const otherChoice = 'other'

/** A form generated from the model's features, prefilled from the training data; submit runs the model. */
export function TabularForm({ metadata, busy, onRun }: { metadata: ModelMetadata; busy: boolean; onRun: (input: TabularFeeds) => void }) {
  const fields = useMemo(() => formFields(metadata), [metadata])
  const [values, setValues] = useState<Record<string, string>>(() => Object.fromEntries(fields.map((f) => [f.id, f.initial])))
  const [errors, setErrors] = useState<Record<string, string>>({})
  const set = (id: string, value: string) => setValues((previous) => ({ ...previous, [id]: value }))

  function submit(event: FormEvent) {
    event.preventDefault()
    const built = tabularFeeds(metadata, fields, values)
    setErrors(built.errors)
    if (Object.keys(built.errors).length === 0) onRun(built)
  }

  if (fields.length === 0) return <p className="text-sm text-zinc-500">This model takes no inputs the form can fill.</p>
  return (
    <form onSubmit={submit} className="space-y-4" data-testid="preview-form" noValidate>
      <div className="grid gap-4 sm:grid-cols-2">
        {fields.map((field) =>
          field.kind === 'number' ? (
            <NumberInput key={field.id} field={field} value={values[field.id] ?? ''} error={errors[field.id]} onChange={(v) => set(field.id, v)} />
          ) : (
            <CategoryInput key={field.id} field={field} value={values[field.id] ?? ''} onChange={(v) => set(field.id, v)} />
          ),
        )}
      </div>
      <div className="flex flex-wrap items-center gap-3">
        <button type="submit" className="btn-primary" disabled={busy} data-testid="preview-run">
          {busy ? 'Running…' : 'Predict in the browser'}
        </button>
        <button type="button" className="btn-secondary" onClick={() => setValues(Object.fromEntries(fields.map((f) => [f.id, f.initial])))}>
          Reset to training means
        </button>
        <span className="text-xs text-zinc-500">An empty field is a missing value, as a null in the data.</span>
      </div>
    </form>
  )
}

function NumberInput({ field, value, error, onChange }: { field: NumberField; value: string; error?: string; onChange: (value: string) => void }) {
  const id = `preview-${field.id}`
  const warning = error ? null : rangeWarning(field, value)
  return (
    <div data-testid="preview-field" data-input={field.label}>
      <label htmlFor={id} className="mb-1 block truncate text-sm font-medium text-zinc-700" title={field.label}>
        {field.label}
      </label>
      <input id={id} type="text" inputMode="decimal" className="input font-mono" value={value} onChange={(e) => onChange(e.target.value)} aria-invalid={error || warning ? true : undefined} aria-describedby={`${id}-note`} />
      <p id={`${id}-note`} className="mt-1 text-xs">
        {error ? (
          <span className="text-red-600">{error}</span>
        ) : warning ? (
          <span className="inline-flex items-center gap-1 text-amber-700" data-testid="preview-range-warning">
            <AlertTriangle className="size-3.5" aria-hidden /> {warning}
          </span>
        ) : field.range ? (
          <span className="text-zinc-500">
            training range {formatNumber(field.range.min)} – {formatNumber(field.range.max)}, mean {formatNumber(field.range.mean)}
          </span>
        ) : (
          <span className="text-zinc-400">no training profile: any number</span>
        )}
      </p>
    </div>
  )
}

function CategoryInput({ field, value, onChange }: { field: CategoryField; value: string; onChange: (value: string) => void }) {
  const id = `preview-${field.id}`
  const known = value === '' || field.categories.includes(value)
  const [other, setOther] = useState(!known)
  const choice = other ? otherChoice : value === '' ? missingChoice : `c${field.categories.indexOf(value)}`
  return (
    <div data-testid="preview-field" data-input={field.label}>
      <label htmlFor={id} className="mb-1 block truncate text-sm font-medium text-zinc-700" title={field.label}>
        {field.label}
      </label>
      <div className="flex gap-2">
        <select
          id={id}
          className="input"
          value={choice}
          onChange={(e) => {
            const next = e.target.value
            setOther(next === otherChoice)
            onChange(next === otherChoice || next === missingChoice ? '' : (field.categories[Number(next.slice(1))] ?? ''))
          }}
        >
          <option value={missingChoice}>(missing)</option>
          {field.categories.map((category, index) => (
            <option key={category} value={`c${index}`}>
              {category}
            </option>
          ))}
          <option value={otherChoice}>other…</option>
        </select>
        {other ? <input aria-label={`${field.label}: another category`} className="input" value={value} placeholder="a category" onChange={(e) => onChange(e.target.value)} autoFocus /> : null}
      </div>
      <p className="mt-1 text-xs text-zinc-500">
        {field.categories.length > 0 ? (other && value && !field.categories.includes(value) ? 'a category training never saw' : `${field.categories.length} training categories`) : 'no training categories known: type one under other…'}
      </p>
    </div>
  )
}
