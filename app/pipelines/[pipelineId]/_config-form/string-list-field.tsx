'use client'

import { Plus, RotateCcw, X } from 'lucide-react'
import { useId, useState } from 'react'
import { listWithout, pathKey, type Path } from './config-path'
import { parseListEntry } from './config-values'
import { FieldShell } from './field-shell'
import type { ScalarType, StringListSpec } from './field-spec'
import { useForm, useIssues } from './form-context'
import { singular } from './labels'
import type { FieldProps } from './scalar-fields'
import { errorClass, iconButtonClass, inputClass, secondaryButtonClass } from './styles'
import { formatScalar, useDraft } from './use-draft'

/**
 * One input per entry rather than a textarea with one entry per line: an empty entry ("" in
 * nullValues means "an empty cell is missing") and entries with spaces at either end stay
 * visible and editable, and each entry can carry its own error.
 */
export function StringListField(props: FieldProps<StringListSpec>) {
  const { path, value, spec, label, help, fallback } = props
  const { change, disabled } = useForm()
  const [added, setAdded] = useState<number | null>(null)
  // a list left out of the config means its default: show that, and edit from it
  const entries: unknown[] = Array.isArray(value) ? value : Array.isArray(fallback) ? fallback : []
  const entryLabel = singular(label)
  const full = spec.maxItems !== undefined && entries.length >= spec.maxItems
  const canReset = Array.isArray(fallback) && JSON.stringify(fallback) !== JSON.stringify(entries)
  const { columns } = useForm()
  const columnListId = useId()
  // column names: the upstream dataset's columns as suggestions, as a single column field offers
  const suggestions = spec.columns && columns ? columnListId : undefined

  const add = () => {
    setAdded(entries.length)
    change(path, [...entries, ''])
  }
  const reset = () => change(path, structuredClone(fallback))
  return (
    <FieldShell
      path={path}
      label={label}
      help={help}
      optional={!props.required && fallback === undefined}
      layout="group"
      actions={
        canReset ? (
          <button type="button" className={`${iconButtonClass} text-xs`} disabled={disabled} onClick={reset}>
            <RotateCcw className="mr-1 inline size-3" aria-hidden />
            Reset to default
          </button>
        ) : null
      }
    >
      {() => (
        <div className="space-y-1.5">
          {entries.length === 0 ? <p className="text-xs text-zinc-500 italic dark:text-zinc-400">No entries</p> : null}
          <ul className="space-y-1.5">
            {entries.map((entry, i) => (
              <ListEntry
                key={i}
                path={[...path, i]}
                entry={entry}
                itemTypes={spec.itemTypes}
                label={`${entryLabel} ${i + 1}`}
                suggestions={suggestions}
                autoFocus={added === i}
                onChange={(next) => change([...path, i], next)}
                onRemove={() => change(path, listWithout(entries, i))}
              />
            ))}
          </ul>
          {suggestions && columns ? (
            <datalist id={suggestions}>
              {columns.map((column) => (
                <option key={column} value={column} />
              ))}
            </datalist>
          ) : null}
          <button type="button" className={`${secondaryButtonClass} text-xs`} disabled={disabled || full} onClick={add}>
            <Plus className="size-3.5" aria-hidden />
            Add {entryLabel.toLowerCase()}
          </button>
        </div>
      )}
    </FieldShell>
  )
}

interface ListEntryProps {
  path: Path
  entry: unknown
  itemTypes: ScalarType[]
  label: string
  /** the id of a datalist of column names to offer */
  suggestions?: string
  autoFocus: boolean
  onChange(next: unknown): void
  onRemove(): void
}

function ListEntry({ path, entry, itemTypes, label, suggestions, autoFocus, onChange, onRemove }: ListEntryProps) {
  const { disabled } = useForm()
  const errors = useIssues(path)
  const [text, setDraft] = useDraft(entry, formatScalar)
  const errorId = useId()
  const onInput = (next: string) => {
    const parsed = parseListEntry(next, itemTypes)
    setDraft(next, parsed)
    onChange(parsed)
  }
  return (
    <li data-field={pathKey(path)}>
      <div className="flex items-center gap-1.5">
        <input
          type="text"
          aria-label={label}
          aria-invalid={errors.length > 0 ? true : undefined}
          aria-describedby={errors.length > 0 ? errorId : undefined}
          className={`${inputClass} py-1 font-mono`}
          value={text}
          list={suggestions}
          autoComplete={suggestions ? 'off' : undefined}
          placeholder="(empty)"
          autoFocus={autoFocus}
          spellCheck={false}
          disabled={disabled}
          onChange={(e) => onInput(e.target.value)}
        />
        {itemTypes.length > 1 ? <EntryType entry={entry} /> : null}
        <button type="button" className={iconButtonClass} aria-label={`Remove ${label.toLowerCase()}`} title="Remove" disabled={disabled} onClick={onRemove}>
          <X className="size-4" aria-hidden />
        </button>
      </div>
      {errors.length > 0 ? (
        <p id={errorId} role="alert" className={errorClass}>
          {errors.join('; ')}
        </p>
      ) : null}
    </li>
  )
}

/**
 * In a list that takes numbers and booleans too, which one an entry became: "7" is stored as
 * the number 7 and "true" as a boolean, and the user should see that rather than guess.
 */
function EntryType({ entry }: { entry: unknown }) {
  const type = typeof entry === 'string' ? 'text' : typeof entry
  return (
    <span className="w-14 shrink-0 text-center text-[11px] text-zinc-500 dark:text-zinc-400" title={`Stored as ${type}`}>
      {type}
    </span>
  )
}
