'use client'

import { pathKey, type Path } from './config-path'
import { switchVariant } from './config-values'
import { ColumnField } from './column-field'
import { FieldErrors, FieldShell } from './field-shell'
import type { FieldEntry, ObjectSpec, UnionSpec } from './field-spec'
import { useForm } from './form-context'
import { fieldLabel, humanise } from './labels'
import { ObjectListField } from './object-list-field'
import { BooleanField, EnumField, JsonField, NumberField, ScalarField, TextField, type FieldProps } from './scalar-fields'
import { StringListField } from './string-list-field'
import { isFieldShown } from './shown-when'
import { helpClass, inputClass, labelClass } from './styles'

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v)

/** The fields of an object, in schema order; those that mean nothing beside the others' values left out. */
export function ObjectFields({ spec, path, value }: { spec: ObjectSpec; path: Path; value: unknown }) {
  const object = isRecord(value) ? value : {}
  return (
    <div className="space-y-4">
      {spec.fields.filter((entry) => isFieldShown(entry, spec, object)).map((entry) => (
        <FieldFor key={entry.name} entry={entry} path={[...path, entry.name]} value={object[entry.name]} />
      ))}
    </div>
  )
}

/** The control for one property, picked by its spec. */
export function FieldFor({ entry, path, value }: { entry: FieldEntry; path: Path; value: unknown }) {
  const common = { path, value, label: fieldLabel(entry), required: entry.required, help: entry.description, fallback: entry.default }
  const spec = entry.spec
  switch (spec.type) {
    case 'text':
      return <TextField {...common} spec={spec} />
    case 'number':
    case 'integer':
      return <NumberField {...common} spec={spec} />
    case 'enum':
      return <EnumField {...common} spec={spec} />
    case 'boolean':
      return <BooleanField {...common} spec={spec} />
    case 'column':
      return <ColumnField {...common} spec={spec} />
    case 'scalar':
      return <ScalarField {...common} spec={spec} />
    case 'stringList':
      return <StringListField {...common} spec={spec} />
    case 'objectList':
      return (
        <ObjectListField
          {...common}
          spec={spec}
          renderItem={(item, itemPath) =>
            spec.item.type === 'union' ? (
              <UnionFields spec={spec.item} path={itemPath} value={item} label={humanise(spec.item.discriminator)} />
            ) : (
              <ObjectFields spec={spec.item} path={itemPath} value={item} />
            )
          }
        />
      )
    case 'union':
      return <UnionField {...common} spec={spec} />
    case 'object':
      return <NestedObjectField {...common} spec={spec} />
    case 'json':
      return <JsonField {...common} spec={spec} />
  }
}

/** A union property of an object (an ingest's `source`): its variant fields set off beneath it. */
function UnionField({ path, value, spec, label, help }: FieldProps<UnionSpec>) {
  return (
    <div data-field={pathKey(path)} className="space-y-3">
      <FieldErrors path={path} />
      <UnionFields spec={spec} path={path} value={value} label={label} help={help} indent />
    </div>
  )
}

interface UnionFieldsProps {
  spec: UnionSpec
  path: Path
  value: unknown
  /** the label of the variant select: the property's name, or "Rule" inside a list card */
  label: string
  help?: string
  /** set the variant's fields off with a rule on the left (not needed inside a list card) */
  indent?: boolean
}

/**
 * A select of the variants (by their descriptions: "Within a range"), then the chosen variant's
 * fields. Switching keeps the fields both variants share, so a rule's column survives.
 */
export function UnionFields({ spec, path, value, label, help, indent = false }: UnionFieldsProps) {
  const { change, disabled } = useForm()
  const current = isRecord(value) ? value : undefined
  const index = spec.variants.findIndex((v) => v.value === current?.[spec.discriminator])
  const variant = spec.variants[index]
  const onPick = (i: number) => {
    const picked = spec.variants[i]
    if (picked) change(path, switchVariant(current, spec, picked.value))
  }
  return (
    <>
      <FieldShell
        path={[...path, spec.discriminator]}
        label={label}
        help={help}
        notes={variant?.description ? [{ tone: 'hint', content: variant.description }] : []}
      >
        {(control) => (
          <select {...control} className={inputClass} value={index < 0 ? '' : String(index)} disabled={disabled} onChange={(e) => onPick(Number(e.target.value))}>
            {index < 0 ? (
              <option value="" disabled>
                — choose —
              </option>
            ) : null}
            {spec.variants.map((v, i) => (
              <option key={String(v.value)} value={String(i)}>
                {v.label}
              </option>
            ))}
          </select>
        )}
      </FieldShell>
      {variant && variant.spec.fields.length > 0 ? (
        <div className={indent ? 'border-l-2 border-zinc-200 pl-3 dark:border-zinc-700' : undefined}>
          <ObjectFields spec={variant.spec} path={path} value={current} />
        </div>
      ) : null}
    </>
  )
}

/** An object property that is not a list item: a titled group of its fields. */
function NestedObjectField({ path, value, spec, label, help }: FieldProps<ObjectSpec>) {
  return (
    <div data-field={pathKey(path)} role="group" aria-label={label} className="space-y-3">
      <div>
        <p className={labelClass}>{label}</p>
        {help ? <p className={helpClass}>{help}</p> : null}
      </div>
      <FieldErrors path={path} />
      <div className="border-l-2 border-zinc-200 pl-3 dark:border-zinc-700">
        <ObjectFields spec={spec} path={path} value={value} />
      </div>
    </div>
  )
}
