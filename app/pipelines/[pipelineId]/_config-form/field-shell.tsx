'use client'

import { useId, type ReactNode } from 'react'
import { pathKey, type Path } from './config-path'
import { useIssues } from './form-context'
import { errorClass, helpClass, labelClass, warningClass } from './styles'

export interface Note {
  tone: 'hint' | 'warning'
  content: ReactNode
}

/** What a control needs to be labelled and described by its shell. */
export interface ControlProps {
  id: string
  'aria-describedby'?: string
  'aria-invalid'?: true
}

interface FieldShellProps {
  path: Path
  label: string
  help?: string
  /** shows "(optional)" after the label */
  optional?: boolean
  notes?: Note[]
  /** a problem the control found itself (text that is not a number); replaces the schema's */
  localError?: string
  /** 'group' for lists (labelled as a group; the entries label themselves), 'inline' for a checkbox beside its label */
  layout?: 'stacked' | 'group' | 'inline'
  /** buttons shown at the right of the label */
  actions?: ReactNode
  children: (control: ControlProps) => ReactNode
}

/** A field's wrapper: label, control, help, notes and errors, found by `data-field` in tests. */
export function FieldShell({ path, label, help, optional, notes = [], localError, layout = 'stacked', actions, children }: FieldShellProps) {
  const id = useId()
  const issues = useIssues(path)
  const errors = localError ? [localError] : issues
  const describedBy = [help && `${id}-help`, errors.length > 0 && `${id}-error`, notes.length > 0 && `${id}-notes`]
    .filter(Boolean)
    .join(' ')
  const control: ControlProps = {
    id,
    ...(describedBy ? { 'aria-describedby': describedBy } : {}),
    ...(errors.length > 0 ? { 'aria-invalid': true as const } : {}),
  }
  const title = (
    <>
      {label}
      {optional ? <span className="ml-1 font-normal text-zinc-400 dark:text-zinc-500">(optional)</span> : null}
    </>
  )
  const helpText = help ? (
    <p id={`${id}-help`} className={helpClass}>
      {help}
    </p>
  ) : null
  const footer = (
    <>
      {/* the error first, right under the control it is about */}
      <FieldErrorList id={`${id}-error`} messages={errors} />
      {layout === 'group' ? null : helpText}
      {notes.length > 0 ? (
        <div id={`${id}-notes`}>
          {notes.map((note, i) => (
            <p key={i} className={note.tone === 'warning' ? warningClass : helpClass}>
              {note.content}
            </p>
          ))}
        </div>
      ) : null}
    </>
  )

  if (layout === 'group') {
    return (
      // a div with role="group" rather than a fieldset: a legend must be the fieldset's first
      // child, which would keep the actions off the label's line
      <div
        role="group"
        data-field={pathKey(path)}
        aria-labelledby={`${id}-label`}
        aria-describedby={control['aria-describedby']}
        className="min-w-0"
      >
        <div className="mb-1 flex items-center justify-between gap-2">
          <span id={`${id}-label`} className={labelClass}>
            {title}
          </span>
          {actions}
        </div>
        {/* above the entries: under a long list it would be out of sight */}
        <div className="-mt-1 mb-2">{helpText}</div>
        {children(control)}
        {footer}
      </div>
    )
  }
  return (
    <div data-field={pathKey(path)}>
      {layout === 'inline' ? (
        <div className="flex items-center gap-2">
          {children(control)}
          <label htmlFor={id} className={labelClass}>
            {title}
          </label>
        </div>
      ) : (
        <>
          <div className="mb-1 flex items-center justify-between gap-2">
            <label htmlFor={id} className={labelClass}>
              {title}
            </label>
            {actions}
          </div>
          {children(control)}
        </>
      )}
      {footer}
    </div>
  )
}

/** Schema problems at a path that has no control of its own (a whole list item, a union). */
export function FieldErrors({ path }: { path: Path }) {
  const id = useId()
  return <FieldErrorList id={id} messages={useIssues(path)} />
}

function FieldErrorList({ id, messages }: { id: string; messages: string[] }) {
  if (messages.length === 0) return null
  return (
    <div id={id} role="alert">
      {messages.map((message, i) => (
        <p key={i} className={errorClass}>
          {message}
        </p>
      ))}
    </div>
  )
}
