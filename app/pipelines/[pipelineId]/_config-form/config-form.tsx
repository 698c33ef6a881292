'use client'

import { useMemo } from 'react'
import { Alert } from '@/app/_components/alert'
import { pathKey, setAt, type Path } from './config-path'
import { placeIssues, visibleFieldPaths } from './config-values'
import { configIssues, configRoot, type ConfigIssue } from './field-spec'
import { FormContext, type FormContextValue } from './form-context'
import { humanise } from './labels'
import { withoutHiddenValues } from './shown-when'
import { ObjectFields, UnionFields } from './spec-field'

export interface ConfigFormProps {
  /** the node kind, e.g. 'validate': picks the schema the form is generated from */
  kind: string
  /** the node's config as stored; may be invalid (the form shows why) */
  value: Record<string, unknown>
  /**
   * Gets the whole new config and the dotted path of the field changed ("rules.0.min"; the
   * list's path for adding, removing or moving an item), so keystrokes in one field can be
   * folded into one undo step.
   */
  onChange: (next: Record<string, unknown>, field: string) => void
  /** the upstream dataset's column names when known; null until upstream has run */
  columns: string[] | null
  disabled?: boolean
}

/** The settings of one pipeline node, generated from its kind's zod schema. */
export function ConfigForm({ kind, value, onChange, columns, disabled = false }: ConfigFormProps) {
  const spec = configRoot(kind)
  const issues = useMemo(() => configIssues(kind, value), [kind, value])
  const placed = useMemo(() => placeIssues(issues, spec ? visibleFieldPaths(spec, value) : new Set()), [issues, spec, value])
  const context = useMemo((): FormContextValue => {
    const change = (path: Path, next: unknown) => {
      const changed = setAt(value, path, next)
      const config = spec ? withoutHiddenValues(spec, changed, path) : changed
      onChange(isRecord(config) ? config : {}, pathKey(path))
    }
    return { issues: placed.byPath, columns, disabled, change }
  }, [placed, columns, disabled, value, onChange, spec])

  if (!spec) {
    return (
      <Alert tone="error" className={alertDark}>
        This step’s kind (“{kind}”) is unknown to this version of Pipewright, so its settings cannot be edited.
      </Alert>
    )
  }
  return (
    <FormContext value={context}>
      <div className="space-y-4 text-zinc-900 dark:text-zinc-100">
        {placed.unplaced.length > 0 ? <UnplacedIssues issues={placed.unplaced} /> : null}
        {spec.type === 'union' ? (
          <UnionFields spec={spec} path={[]} value={value} label={humanise(spec.discriminator)} />
        ) : (
          <ObjectFields spec={spec} path={[]} value={value} />
        )}
      </div>
    </FormContext>
  )
}

const alertDark = 'dark:border-red-900 dark:bg-red-950 dark:text-red-200'

/** Problems with no field to show them under: unknown top-level settings, a config that is not an object. */
function UnplacedIssues({ issues }: { issues: ConfigIssue[] }) {
  return (
    <Alert tone="error" className={alertDark} title={issues.length === 1 ? 'A setting needs attention' : 'Some settings need attention'}>
      <ul className="list-disc space-y-0.5 pl-4">
        {issues.map((issue, i) => (
          <li key={i}>
            {issue.path ? <code className="mr-1 font-mono text-xs">{issue.path}</code> : null}
            {issue.message}
          </li>
        ))}
      </ul>
    </Alert>
  )
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v)
