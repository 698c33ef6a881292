// Isomorphic: what a step sees — the columns of the table before it — and the errors it raises.
import type { DatasetColumn } from '../contract'
import { StepError } from '../contract'
import { quoteIdent, quoteLiteral, sqlValue, valueKind, type ValueKind } from '../_lib/sql-text'
import type { TransformStep } from './definition'

/** The type of a column whose type only DuckDB knows yet (a derived column, in the browser). */
export const unknownType = 'UNKNOWN'

/** Why a column is gone: "step 1 dropped it", "step 2 renamed it to "b"". */
export type ColumnHistory = ReadonlyMap<string, string>

export interface StepScope {
  /** 0-based position of the step in the list */
  index: number
  step: TransformStep
  /** the columns of the table the step reads */
  columns: DatasetColumn[]
  /** the quoted name of that table (a CTE) */
  from: string
  history: ColumnHistory
}

/** A statistic a step needs: a scalar SELECT over the step's input. */
export interface Statistic {
  key: string
  sql: string
  /** when the statistic is one aggregate over the input (avg("x")): the executor computes all of a step's in one scan */
  aggregate?: string
}

/** A statistic that is an aggregate over `from`. */
export function aggregateStatistic(key: string, aggregate: string, from: string): Statistic {
  return { key, sql: `SELECT ${aggregate} FROM ${from}`, aggregate }
}

/** "Step 3 (fill_nulls)", the prefix of every message about a step. */
export function stepLabel(scope: Pick<StepScope, 'index' | 'step'>): string {
  return `Step ${scope.index + 1} (${scope.step.op})`
}

export function stepError(scope: Pick<StepScope, 'index' | 'step'>, message: string): StepError {
  return new StepError(`${stepLabel(scope)}: ${message}`)
}

/** The column named `name`, or a StepError saying which columns there are (and where this one went). */
export function need(scope: StepScope, name: string): DatasetColumn {
  const found = scope.columns.find((c) => c.name === name)
  if (found) return found
  const gone = scope.history.get(name)
  const near = scope.columns.find((c) => c.name.trim().toLowerCase() === name.trim().toLowerCase())
  const hint = gone ? ` (${gone})` : near ? ` (did you mean ${JSON.stringify(near.name)}?)` : ''
  throw stepError(scope, `there is no column ${JSON.stringify(name)}${hint}. The columns are: ${listColumns(scope.columns)}`)
}

export function listColumns(columns: DatasetColumn[]): string {
  if (columns.length === 0) return '(none)'
  const names = columns.map((c) => JSON.stringify(c.name))
  return names.length > 50 ? `${names.slice(0, 50).join(', ')} and ${names.length - 50} more` : names.join(', ')
}

export function kindOf(column: DatasetColumn): ValueKind | 'unknown' {
  return column.type === unknownType ? 'unknown' : valueKind(column.type)
}

/** DuckDB folds case in names: "Price" and "price" cannot both be columns of one table. */
export function sameName(a: string, b: string): boolean {
  return a.toLowerCase() === b.toLowerCase()
}

/** A StepError when `name` would clash with one of `taken` (compared as DuckDB does, ignoring case). */
export function assertFree(scope: StepScope, name: string, taken: string[]): void {
  const clash = taken.find((t) => sameName(t, name))
  if (clash !== undefined) {
    throw stepError(scope, `the new column ${JSON.stringify(name)} would clash with the column ${JSON.stringify(clash)}`)
  }
}

/** A column name not among `columns`, for a helper column such as a row number. */
export function helperName(base: string, columns: DatasetColumn[]): string {
  let name = base
  for (let n = 1; columns.some((c) => sameName(c.name, name)); n++) name = `${base}_${n}`
  return name
}

export type Scalar = string | number | boolean

const NUMERIC = /^\s*[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?\s*$/

/**
 * A user's value as a SQL literal of the column's type: numbers for numeric columns (text that is
 * not a number is a StepError here rather than a conversion error halfway through the data),
 * text for text columns, a CAST for dates and timestamps (DuckDB checks those).
 */
export function typedLiteral(scope: StepScope, column: DatasetColumn, value: Scalar, what = 'value'): string {
  const kind = kindOf(column)
  const shown = JSON.stringify(value)
  switch (kind) {
    case 'integer':
    case 'number': {
      if (typeof value === 'number') return literalNumber(value, column.type)
      if (typeof value === 'string' && NUMERIC.test(value)) return literalNumber(Number(value), column.type)
      throw stepError(scope, `the ${what} ${shown} is not a number, but column ${JSON.stringify(column.name)} holds numbers (${column.type})`)
    }
    case 'boolean':
      if (typeof value === 'boolean') return value ? 'TRUE' : 'FALSE'
      if (value === 'true' || value === 'false') return value.toUpperCase()
      throw stepError(scope, `the ${what} ${shown} is not true or false, but column ${JSON.stringify(column.name)} holds booleans`)
    case 'string':
      return quoteLiteral(String(value))
    case 'date':
    case 'timestamp':
    case 'time':
      return `CAST(${quoteLiteral(String(value))} AS ${column.type})`
    case 'unknown':
      return sqlValue(value)
    case 'other':
      throw stepError(scope, `column ${JSON.stringify(column.name)} holds ${column.type} values, which cannot be compared with a ${what}`)
  }
}

function literalNumber(value: number, type: string): string {
  // an integer column compared with 2.5 must not round the 2.5: DuckDB compares in the wider type
  return Number.isInteger(value) || valueKind(type) !== 'integer' ? sqlValue(value) : `CAST(${sqlValue(value)} AS DOUBLE)`
}

/** SELECT list items keeping `columns` in order, with some replaced by expressions. */
export function projection(columns: DatasetColumn[], replaced: ReadonlyMap<string, string> = new Map()): string[] {
  return columns.map((c) => {
    const expr = replaced.get(c.name)
    return expr === undefined ? quoteIdent(c.name) : `${expr} AS ${quoteIdent(c.name)}`
  })
}

/** A JSON value read from DuckDB as a SQL literal of the given type. */
export function statLiteral(value: unknown, type: string): string {
  if (value === null || value === undefined) return `CAST(NULL AS ${type})`
  if (typeof value === 'number' || typeof value === 'string' || typeof value === 'boolean') return `CAST(${sqlValue(value)} AS ${type})`
  return `CAST(${quoteLiteral(JSON.stringify(value))} AS ${type})`
}
