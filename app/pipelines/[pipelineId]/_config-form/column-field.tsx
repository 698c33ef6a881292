'use client'

import { useId } from 'react'
import type { Note } from './field-shell'
import { FieldShell } from './field-shell'
import { useForm } from './form-context'
import { defaultPlaceholder, emptyText, isOptional, type FieldProps } from './scalar-fields'
import { inputClass } from './styles'
import { formatScalar } from './use-draft'

/**
 * A column name: free text with the upstream dataset's columns offered as suggestions. Free
 * text stays allowed because the columns are unknown until upstream has run, and a typo is
 * only a warning: the dataset may change by the time the pipeline runs.
 */
export function ColumnField(props: FieldProps<{ type: 'column' }>) {
  const { path, value, label, help, required, fallback } = props
  const { change, disabled, columns } = useForm()
  const listId = useId()
  const text = formatScalar(value)
  const notes = columnNotes(text, columns, (column) => change(path, column), disabled)
  return (
    <FieldShell path={path} label={label} help={help} optional={isOptional(props)} notes={notes}>
      {(control) => (
        <>
          <input
            {...control}
            type="text"
            list={columns ? listId : undefined}
            autoComplete="off"
            spellCheck={false}
            className={`${inputClass} font-mono`}
            value={text}
            placeholder={defaultPlaceholder(fallback) ?? (columns ? 'Pick or type a column' : 'Column name')}
            disabled={disabled}
            onChange={(e) => change(path, emptyText(e.target.value, required))}
          />
          {columns ? (
            <datalist id={listId}>
              {columns.map((column) => (
                <option key={column} value={column} />
              ))}
            </datalist>
          ) : null}
        </>
      )}
    </FieldShell>
  )
}

function columnNotes(text: string, columns: string[] | null, pick: (column: string) => void, disabled: boolean): Note[] {
  if (columns === null) return [{ tone: 'hint', content: 'Run the upstream step to pick from its columns.' }]
  if (text === '' || columns.includes(text)) return []
  const near = nearestColumn(text, columns)
  return [
    {
      tone: 'warning',
      content: (
        <>
          “{text}” is not a column of the input.
          {near ? (
            <>
              {' '}
              <button type="button" className="underline hover:no-underline" disabled={disabled} onClick={() => pick(near)}>
                Use “{near}”
              </button>
            </>
          ) : null}
        </>
      ),
    },
  ]
}

/** A column that differs only in case or surrounding spaces: the usual slip when typing one. */
function nearestColumn(text: string, columns: string[]): string | undefined {
  const wanted = text.trim().toLowerCase()
  return columns.find((column) => column.trim().toLowerCase() === wanted)
}
