'use client'
import { useMemo } from 'react'
import { StepError, type DatasetColumn } from '../contract'
import { defineViews, type ConfigAsideProps } from '../views-contract'
import { compileTransform } from './compile'
import { sandboxRules, transformConfig } from './definition'

type Shown =
  | { kind: 'sql-mode' }
  | { kind: 'no-steps' }
  | { kind: 'incomplete' }
  | { kind: 'no-schema' }
  | { kind: 'error'; message: string }
  | { kind: 'sql'; sql: string; notes: string[] }

/** What the aside shows for a config: the compiled SQL when the config and the upstream columns allow it. */
export function describeTransform(config: unknown, inputSchema: DatasetColumn[] | null | undefined): Shown {
  const parsed = transformConfig.safeParse(config)
  if (!parsed.success) return { kind: 'incomplete' }
  if (parsed.data.sql !== undefined) return { kind: 'sql-mode' }
  if (parsed.data.steps.length === 0) return { kind: 'no-steps' }
  if (!inputSchema) return { kind: 'no-schema' }
  try {
    const { sql, notes } = compileTransform(parsed.data.steps, inputSchema)
    return { kind: 'sql', sql, notes }
  } catch (error) {
    if (error instanceof StepError) return { kind: 'error', message: error.message }
    throw error
  }
}

const hintClass = 'text-xs text-zinc-500 dark:text-zinc-400'

/** Under the config form: the SQL the steps compile to, or what SQL mode may use. */
function TransformAside({ config, inputSchema }: ConfigAsideProps) {
  const shown = useMemo(() => describeTransform(config, inputSchema), [config, inputSchema])
  return (
    <section aria-label="SQL this step runs" className="space-y-2" data-testid="transform-sql">
      <h3 className="text-xs font-medium tracking-wide text-zinc-500 uppercase dark:text-zinc-400">SQL</h3>
      <AsideBody shown={shown} />
    </section>
  )
}

function AsideBody({ shown }: { shown: Shown }) {
  switch (shown.kind) {
    case 'sql-mode':
      return (
        <p className={hintClass}>
          {sandboxRules} It runs in a DuckDB of its own, with its settings locked before your query is read.
        </p>
      )
    case 'no-steps':
      return <p className={hintClass}>No steps yet: the dataset passes through unchanged. Add a step, or write one SELECT in the SQL field.</p>
    case 'incomplete':
      return <p className={hintClass}>Finish the settings above to see the SQL they compile to.</p>
    case 'no-schema':
      return <p className={hintClass}>Run the upstream step to see the SQL: it lists the input’s columns.</p>
    case 'error':
      return (
        <p role="alert" className="text-xs whitespace-pre-wrap text-red-700 dark:text-red-400">
          {shown.message}
        </p>
      )
    case 'sql':
      return (
        <>
          <pre className="max-h-96 overflow-auto rounded border border-zinc-200 bg-zinc-50 p-2 font-mono text-[11px] leading-snug whitespace-pre text-zinc-800 dark:border-zinc-700 dark:bg-zinc-950 dark:text-zinc-200">
            {shown.sql}
          </pre>
          <p className={hintClass}>
            `input` is the upstream dataset. Statistics (means, categories, quantiles) are computed from the data when the step runs and put in as
            constants.
          </p>
          {shown.notes.map((note) => (
            <p key={note} className={hintClass}>
              {note}
            </p>
          ))}
        </>
      )
  }
}

export const transformViews = defineViews({ kind: 'transform', ConfigAside: TransformAside })
