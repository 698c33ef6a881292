'use client'

import type { Path } from './config-path'
import { parseListEntry, parseNumber } from './config-values'
import { FieldShell } from './field-shell'
import type { EnumSpec, FieldSpec, NumberSpec, ScalarSpec, TextSpec } from './field-spec'
import { useForm } from './form-context'
import { inputClass } from './styles'
import { formatScalar, useDraft } from './use-draft'

/** What every field component gets from the object it belongs to. */
export interface FieldProps<S extends FieldSpec = FieldSpec> {
  path: Path
  value: unknown
  spec: S
  label: string
  help?: string
  required: boolean
  /** the schema's default: what a left-out value means, shown in place of an empty one */
  fallback?: unknown
}

/** "(optional)" only where leaving the field out means something other than a default. */
export const isOptional = (p: FieldProps) => !p.required && p.fallback === undefined

/** A placeholder naming the default that applies while the field is empty. */
export const defaultPlaceholder = (fallback: unknown) =>
  fallback === undefined ? undefined : `${formatScalar(fallback)} (default)`

/** Emptying a required text leaves "" (the schema then says what is missing); an optional one is removed. */
export const emptyText = (text: string, required: boolean) => (text === '' && !required ? undefined : text)

export function TextField(props: FieldProps<TextSpec>) {
  const { path, value, spec, label, help, required, fallback } = props
  const { change, disabled } = useForm()
  if (spec.multiline) {
    return (
      <FieldShell path={path} label={label} help={help} optional={isOptional(props)}>
        {(control) => (
          <textarea
            {...control}
            className={`${inputClass} ${spec.code ? 'font-mono text-xs' : ''}`}
            rows={spec.code ? 8 : 4}
            spellCheck={spec.code ? false : undefined}
            value={formatScalar(value)}
            placeholder={defaultPlaceholder(fallback)}
            disabled={disabled}
            onChange={(e) => change(path, emptyText(e.target.value, required))}
          />
        )}
      </FieldShell>
    )
  }
  return (
    <FieldShell path={path} label={label} help={help} optional={isOptional(props)}>
      {(control) => (
        <input
          {...control}
          type={spec.format === 'uri' ? 'url' : 'text'}
          className={inputClass}
          value={formatScalar(value)}
          placeholder={defaultPlaceholder(fallback) ?? (spec.format === 'uri' ? 'https://' : undefined)}
          disabled={disabled}
          onChange={(e) => change(path, emptyText(e.target.value, required))}
        />
      )}
    </FieldShell>
  )
}

/**
 * A text input rather than type="number": browsers blank a number input's value while it holds
 * "1e" or "-", which would erase what the user is typing. Text that is not a number is kept in
 * the config (so the node stays invalid rather than silently keeping the old number) and named.
 */
export function NumberField(props: FieldProps<NumberSpec>) {
  const { path, value, spec, label, help, fallback } = props
  const { change, disabled } = useForm()
  const [text, setDraft] = useDraft(value, formatScalar)
  const notANumber = text.trim() !== '' && parseNumber(text) === undefined
  const onInput = (next: string) => {
    const parsed = next.trim() === '' ? undefined : (parseNumber(next) ?? next)
    setDraft(next, parsed)
    change(path, parsed)
  }
  return (
    <FieldShell
      path={path}
      label={label}
      help={help}
      optional={isOptional(props)}
      localError={notANumber ? `“${text}” is not a number` : undefined}
    >
      {(control) => (
        <input
          {...control}
          type="text"
          inputMode={spec.type === 'integer' ? 'numeric' : 'decimal'}
          autoComplete="off"
          className={inputClass}
          value={text}
          placeholder={defaultPlaceholder(fallback)}
          disabled={disabled}
          onChange={(e) => onInput(e.target.value)}
        />
      )}
    </FieldShell>
  )
}

export function EnumField(props: FieldProps<EnumSpec>) {
  const { path, value, spec, label, help, fallback } = props
  const { change, disabled } = useForm()
  const shown = value ?? fallback
  const index = spec.options.findIndex((o) => o === shown)
  // an invalid stored value stays visible rather than the select pretending it is the first option
  const unknown = shown !== undefined && index < 0
  const blank = shown === undefined || isOptional(props)
  return (
    <FieldShell path={path} label={label} help={help} optional={isOptional(props)}>
      {(control) => (
        <select
          {...control}
          className={inputClass}
          value={unknown ? 'unknown' : index < 0 ? '' : String(index)}
          disabled={disabled}
          onChange={(e) => change(path, e.target.value === '' ? undefined : spec.options[Number(e.target.value)])}
        >
          {blank ? <option value="">{props.required ? '— choose —' : '— not set —'}</option> : null}
          {unknown ? (
            <option value="unknown" disabled>
              {formatScalar(shown)} (not an option)
            </option>
          ) : null}
          {spec.options.map((option, i) => (
            <option key={String(option)} value={String(i)}>
              {spec.labels?.[i] ?? String(option)}
            </option>
          ))}
        </select>
      )}
    </FieldShell>
  )
}

/**
 * One value that may be text, a number or a boolean: typed as text and stored as a list entry
 * would be ("7" → 7, "true" → true), with what it became shown beside it.
 */
export function ScalarField(props: FieldProps<ScalarSpec>) {
  const { path, value, spec, label, help, fallback } = props
  const { change, disabled } = useForm()
  const [text, setDraft] = useDraft(value, formatScalar)
  const onInput = (next: string) => {
    const parsed = next === '' && !props.required ? undefined : parseListEntry(next, spec.itemTypes)
    setDraft(next, parsed)
    change(path, parsed)
  }
  const stored = value === undefined ? undefined : typeof value === 'string' ? 'text' : typeof value
  return (
    <FieldShell path={path} label={label} help={help} optional={isOptional(props)}>
      {(control) => (
        <div className="flex items-center gap-1.5">
          <input
            {...control}
            type="text"
            autoComplete="off"
            spellCheck={false}
            className={`${inputClass} font-mono`}
            value={text}
            placeholder={defaultPlaceholder(fallback)}
            disabled={disabled}
            onChange={(e) => onInput(e.target.value)}
          />
          {stored ? (
            <span className="w-14 shrink-0 text-center text-[11px] text-zinc-500 dark:text-zinc-400" title={`Stored as ${stored}`}>
              {stored}
            </span>
          ) : null}
        </div>
      )}
    </FieldShell>
  )
}

export function BooleanField(props: FieldProps<{ type: 'boolean' }>) {
  const { path, value, label, help, fallback } = props
  const { change, disabled } = useForm()
  return (
    <FieldShell path={path} label={label} help={help} layout="inline">
      {(control) => (
        <input
          {...control}
          type="checkbox"
          className="size-4 rounded border-zinc-300 accent-accent-600 dark:border-zinc-600"
          checked={(value ?? fallback) === true}
          disabled={disabled}
          onChange={(e) => change(path, e.target.checked)}
        />
      )}
    </FieldShell>
  )
}

const formatJson = (value: unknown) => (value === undefined ? '' : JSON.stringify(value, null, 2))

/** Anything the form has no control for, edited as JSON; text that does not parse stays local. */
export function JsonField(props: FieldProps) {
  const { path, value, label, help } = props
  const { change, disabled } = useForm()
  const [text, setDraft] = useDraft(value, formatJson)
  const parsed = parseJson(text)
  const onInput = (next: string) => {
    const result = parseJson(next)
    const nextValue = result.ok ? result.value : value
    setDraft(next, nextValue)
    if (result.ok) change(path, result.value)
  }
  return (
    <FieldShell path={path} label={label} help={help} optional={isOptional(props)} localError={parsed.ok ? undefined : 'Not valid JSON'}>
      {(control) => (
        <textarea
          {...control}
          className={`${inputClass} font-mono`}
          rows={4}
          spellCheck={false}
          value={text}
          disabled={disabled}
          onChange={(e) => onInput(e.target.value)}
        />
      )}
    </FieldShell>
  )
}

function parseJson(text: string): { ok: true; value: unknown } | { ok: false } {
  if (text.trim() === '') return { ok: true, value: undefined }
  try {
    return { ok: true, value: JSON.parse(text) as unknown }
  } catch {
    return { ok: false }
  }
}
