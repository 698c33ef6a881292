'use client'

import { createContext, useContext } from 'react'
import { pathKey, type Path } from './config-path'

export interface FormContextValue {
  /** schema problems by dotted path */
  issues: ReadonlyMap<string, string[]>
  /** the upstream dataset's column names; null until upstream has run */
  columns: string[] | null
  disabled: boolean
  /** set one value (undefined removes it) and tell the editor which field changed */
  change(path: Path, value: unknown): void
}

export const FormContext = createContext<FormContextValue | null>(null)

export function useForm(): FormContextValue {
  const form = useContext(FormContext)
  if (!form) throw new Error('config form fields must be rendered inside <ConfigForm>')
  return form
}

export function useIssues(path: Path): string[] {
  return useForm().issues.get(pathKey(path)) ?? []
}

/** How many problems sit at `path` or anywhere below it: shown on a collapsed card. */
export function useIssueCountUnder(path: Path): number {
  const { issues } = useForm()
  const key = pathKey(path)
  let count = 0
  for (const [at, messages] of issues) if (at === key || at.startsWith(`${key}.`)) count += messages.length
  return count
}
