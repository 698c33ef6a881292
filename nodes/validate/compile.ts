// Server-only: compiles a validate config into SQL that DuckDB runs over the input in one pass.
//
// Every check (a type expectation or a rule) becomes one VARCHAR expression that is NULL when the row
// passes and a sentence ("bill_length_mm: 999 is not between 20 and 80") when it does not. The main
// query selects the input's columns, the row number and one such column per check.
//
// Semantics (what a user of the node can rely on):
// - not_null: fails on NULL, on text that is empty or only spaces, and on NaN.
// - Every other rule lets NULL pass (not_null is the rule for missing values).
// - between / zscore / iqr: text is converted with TRY_CAST(… AS DOUBLE); a value that does not convert is
//   a reason ("is not a number"); NaN and ±Infinity fail zscore and iqr ("is not a finite number") and
//   are left out of their statistics. zscore uses avg and stddev_samp; iqr uses quantile_cont 0.25/0.75;
//   both are computed in one aggregate pass before the checks. Bounds are inclusive.
// - in_set: compares text with text (CAST(value AS VARCHAR) against String(listed value)), except that a
//   numeric column against only numbers, or a boolean column against only booleans, compares values.
// - regex: regexp_full_match (RE2 syntax) on the value as text: the whole value must match.
// - unique: every row whose value occurs more than once fails, each naming the count.
// - column types: a non-null value that cannot be converted to the declared type fails; 'string' always
//   passes; a column whose DuckDB type already is that type is not checked row by row.
import type { DatasetColumn } from '../contract'
import { StepError } from '../contract'
import { quoteIdent, quoteLiteral, sqlValue, valueKind, type ValueKind } from '../_lib/duckdb'
import type { ColumnExpectation, ValidateConfig, ValidationRule } from './definition'

export interface CompiledCheck {
  source: 'schema' | 'rule'
  /** index into config.columns (schema) or config.rules (rule) */
  index: number
  column: string
  /** what is checked, in words: "between 20 and 80", "type integer" */
  description: string
  /** the column of the checked query holding this check's reason (NULL when the row passes) */
  alias: string
}

/** Statistics the zscore and iqr rules need, computed in a pass before the checks. */
export type RuleStats = { mean: number | null; std: number | null } | { q1: number | null; q3: number | null; lower: number | null; upper: number | null }

export interface CompiledValidation {
  checks: CompiledCheck[]
  /** SELECT producing every input column, `rowNumber`, helper columns and one reason column per check */
  select: string
  /** the column holding the 0-based row number in the input */
  rowNumber: string
  /** rowNumber is DuckDB's file_row_number, so a row can be found again in the input file */
  numbersFromFile: boolean
}

const numericRules = new Set<ValidationRule['rule']>(['between', 'zscore', 'iqr'])

/** Fails with a StepError naming every column the config mentions that the dataset lacks. */
export function assertColumnsExist(config: ValidateConfig, schema: DatasetColumn[]): void {
  const present = new Set(schema.map((c) => c.name))
  const wanted = [
    ...config.rules.map((r) => r.column),
    ...(config.columns ?? []).filter((c) => c.required).map((c) => c.name),
  ]
  const missing = [...new Set(wanted.filter((name) => !present.has(name)))]
  if (missing.length === 0) return
  const hints = missing
    .map((name) => {
      const near = schema.find((c) => c.name.toLowerCase() === name.toLowerCase() || c.name.trim() === name.trim())
      return near ? ` ("${name}": did you mean "${near.name}"?)` : ''
    })
    .join('')
  const list = missing.map((n) => `"${n}"`).join(', ')
  throw new StepError(
    `${missing.length === 1 ? 'Column' : 'Columns'} ${list} ${missing.length === 1 ? 'does' : 'do'} not exist in the dataset${hints}. ` +
      `Its columns are: ${schema.map((c) => `"${c.name}"`).join(', ')}.`,
  )
}

/** A prefix for helper columns that no input column starts with. */
export function helperPrefix(schema: DatasetColumn[]): string {
  let prefix = '__pw_'
  while (schema.some((c) => c.name.toLowerCase().startsWith(prefix))) prefix = `_${prefix}`
  return prefix
}

/** The aggregate query computing zscore/iqr statistics, and how to read its one row; undefined without such rules. */
export function compileStats(
  input: string,
  schema: DatasetColumn[],
  rules: ValidationRule[],
): { sql: string; parse: (row: Record<string, unknown>) => Map<number, RuleStats> } | undefined {
  const parts: string[] = []
  rules.forEach((rule, i) => {
    if (rule.rule !== 'zscore' && rule.rule !== 'iqr') return
    const n = finiteNumber(quoteIdent(rule.column), kindOf(schema, rule.column))
    if (rule.rule === 'zscore') parts.push(`avg(${n}) AS m${i}`, `stddev_samp(${n}) AS s${i}`)
    else parts.push(`quantile_cont(${n}, [0.25, 0.75]) AS q${i}`)
  })
  if (parts.length === 0) return undefined
  return {
    sql: `SELECT ${parts.join(', ')} FROM ${parquetSource(input)}`,
    parse(row) {
      const stats = new Map<number, RuleStats>()
      rules.forEach((rule, i) => {
        if (rule.rule === 'zscore') {
          stats.set(i, { mean: finite(row[`m${i}`]), std: finite(row[`s${i}`]) })
        } else if (rule.rule === 'iqr') {
          const q = Array.isArray(row[`q${i}`]) ? (row[`q${i}`] as unknown[]) : []
          const q1 = finite(q[0])
          const q3 = finite(q[1])
          const spread = q1 !== null && q3 !== null ? q3 - q1 : null
          stats.set(i, {
            q1,
            q3,
            lower: spread === null ? null : q1! - rule.factor * spread,
            upper: spread === null ? null : q3! + rule.factor * spread,
          })
        }
      })
      return stats
    },
  }
}

export function compileValidation(
  input: string,
  schema: DatasetColumn[],
  config: ValidateConfig,
  stats: Map<number, RuleStats>,
  prefix = helperPrefix(schema),
): CompiledValidation {
  const helper = (name: string) => quoteIdent(`${prefix}${name}`)
  const rowNumber = `${prefix}row`
  const checks: CompiledCheck[] = []
  const reasons: string[] = []
  const ctes: string[] = []
  const joins: string[] = []
  const helpers: string[] = []
  const numericHelpers = new Map<string, string>()

  /** the column as a DOUBLE-comparable expression: itself if numeric, else a TRY_CAST computed once */
  const numberOf = (column: string): string => {
    const kind = kindOf(schema, column)
    if (kind === 'integer' || kind === 'number') return `s.${quoteIdent(column)}`
    let alias = numericHelpers.get(column)
    if (!alias) {
      alias = helper(`num${numericHelpers.size}`)
      numericHelpers.set(column, alias)
      helpers.push(`TRY_CAST(${quoteIdent(column)} AS DOUBLE) AS ${alias}`)
    }
    return `s.${alias}`
  }

  const add = (source: CompiledCheck['source'], index: number, column: string, description: string, reason: string) => {
    const alias = `${prefix}check${checks.length}`
    checks.push({ source, index, column, description, alias })
    reasons.push(`${reason} AS ${quoteIdent(alias)}`)
  }

  for (const [index, expectation] of (config.columns ?? []).entries()) {
    if (!expectation.type || !schema.some((c) => c.name === expectation.name)) continue
    const reason = typeCheck(expectation, kindOf(schema, expectation.name), numberOf)
    if (reason) add('schema', index, expectation.name, `type ${expectation.type}`, reason)
  }

  for (const [index, rule] of config.rules.entries()) {
    const kind = kindOf(schema, rule.column)
    const x = `s.${quoteIdent(rule.column)}`
    const label = (text: string) => quoteLiteral(`${rule.column}: ${text}`)
    const lead = quoteLiteral(`${rule.column}: `)
    const shown = show(x, kind)
    const notANumber = numericRules.has(rule.rule)
      ? `WHEN ${numberOf(rule.column)} IS NULL THEN ${lead} || ${shown} || ' is not a number'`
      : ''
    const n = numericRules.has(rule.rule) ? numberOf(rule.column) : ''
    const notFinite = numericRules.has(rule.rule) && kind !== 'integer'
      ? `WHEN NOT isfinite(${n}) THEN ${lead} || ${shown} || ' is not a finite number'`
      : ''

    switch (rule.rule) {
      case 'not_null': {
        const branches = [`WHEN ${x} IS NULL THEN ${label('value is missing')}`]
        if (kind === 'string') branches.push(`WHEN trim(CAST(${x} AS VARCHAR)) = '' THEN ${label('value is blank')}`)
        if (kind === 'number') branches.push(`WHEN isnan(CAST(${x} AS DOUBLE)) THEN ${label('value is NaN')}`)
        add('rule', index, rule.column, 'not_null', `CASE ${branches.join(' ')} END`)
        break
      }
      case 'between': {
        const conditions: string[] = []
        if (rule.min !== undefined) conditions.push(`${n} < ${num(rule.min)}`)
        if (rule.max !== undefined) conditions.push(`${n} > ${num(rule.max)}`)
        const words =
          rule.min !== undefined && rule.max !== undefined
            ? `between ${fmt(rule.min)} and ${fmt(rule.max)}`
            : rule.min !== undefined
              ? `at least ${fmt(rule.min)}`
              : `at most ${fmt(rule.max!)}`
        // NaN compares greater than every number in DuckDB, so it fails an upper bound by itself
        add(
          'rule',
          index,
          rule.column,
          `between ${rule.min ?? '-∞'}..${rule.max ?? '∞'}`,
          `CASE WHEN ${x} IS NULL THEN NULL ${notANumber} WHEN ${conditions.join(' OR ')}${kind === 'integer' ? '' : ` OR isnan(${n})`} ` +
            `THEN ${lead} || ${shown} || ${quoteLiteral(` is not ${words}`)} END`,
        )
        break
      }
      case 'in_set': {
        const list = rule.values.slice(0, 10).map(String).join(', ') + (rule.values.length > 10 ? ', …' : '')
        let test: string
        if ((kind === 'integer' || kind === 'number') && rule.values.every((v) => typeof v === 'number')) {
          test = `${x} NOT IN (${rule.values.map((v) => num(v as number)).join(', ')})`
        } else if (kind === 'boolean' && rule.values.every((v) => typeof v === 'boolean')) {
          test = `${x} NOT IN (${rule.values.map((v) => sqlValue(v)).join(', ')})`
        } else {
          test = `CAST(${x} AS VARCHAR) NOT IN (${rule.values.map((v) => quoteLiteral(String(v))).join(', ')})`
        }
        add(
          'rule',
          index,
          rule.column,
          `in_set (${list})`,
          `CASE WHEN ${x} IS NOT NULL AND ${test} THEN ${lead} || ${shown} || ${quoteLiteral(` is not one of ${list}`)} END`,
        )
        break
      }
      case 'regex': {
        add(
          'rule',
          index,
          rule.column,
          `regex ${rule.pattern}`,
          `CASE WHEN ${x} IS NOT NULL AND NOT regexp_full_match(CAST(${x} AS VARCHAR), ${quoteLiteral(rule.pattern)}) ` +
            `THEN ${lead} || ${shown} || ${quoteLiteral(` does not match the pattern ${rule.pattern}`)} END`,
        )
        break
      }
      case 'unique': {
        const cte = helper(`dup${index}`)
        const alias = `d${index}`
        const c = quoteIdent(rule.column)
        ctes.push(`${cte} AS (SELECT ${c} AS v, count(*) AS n FROM src WHERE ${c} IS NOT NULL GROUP BY ${c} HAVING count(*) > 1)`)
        joins.push(`LEFT JOIN ${cte} AS ${alias} ON ${x} = ${alias}.v`)
        add(
          'rule',
          index,
          rule.column,
          'unique',
          `CASE WHEN ${alias}.n IS NOT NULL THEN ${lead} || ${shown} || ' appears ' || CAST(${alias}.n AS VARCHAR) || ' times' END`,
        )
        break
      }
      case 'zscore': {
        const s = stats.get(index) as { mean: number | null; std: number | null } | undefined
        const outlier =
          s && s.mean !== null && s.std !== null && s.std > 0
            ? `WHEN abs(${n} - ${num(s.mean)}) / ${num(s.std)} > ${num(rule.threshold)} THEN ${lead} || ${shown} || ' is ' || ` +
              `CAST(round(abs(${n} - ${num(s.mean)}) / ${num(s.std)}, 2) AS VARCHAR) || ` +
              `${quoteLiteral(` standard deviations from the mean ${fmt(s.mean)} (limit ${fmt(rule.threshold)})`)}`
            : ''
        add(
          'rule',
          index,
          rule.column,
          `zscore ≤ ${rule.threshold}`,
          `CASE WHEN ${x} IS NULL THEN NULL ${notANumber} ${notFinite} ${outlier} END`,
        )
        break
      }
      case 'iqr': {
        const s = stats.get(index) as { lower: number | null; upper: number | null } | undefined
        const outlier =
          s && s.lower !== null && s.upper !== null
            ? `WHEN ${n} < ${num(s.lower)} OR ${n} > ${num(s.upper)} THEN ${lead} || ${shown} || ` +
              `${quoteLiteral(` is outside the interquartile fences [${fmt(s.lower)}, ${fmt(s.upper)}]`)}`
            : ''
        add('rule', index, rule.column, `iqr ×${rule.factor}`, `CASE WHEN ${x} IS NULL THEN NULL ${notANumber} ${notFinite} ${outlier} END`)
        break
      }
    }
  }

  const withFileRowNumber = !schema.some((c) => c.name.toLowerCase() === 'file_row_number')
  const rows = withFileRowNumber
    ? `SELECT * EXCLUDE (file_row_number), file_row_number AS ${quoteIdent(rowNumber)}${helpers.map((h) => `, ${h}`).join('')} ` +
      `FROM read_parquet(${quoteLiteral(input)}, file_row_number = true)`
    : `SELECT *, row_number() OVER () - 1 AS ${quoteIdent(rowNumber)}${helpers.map((h) => `, ${h}`).join('')} FROM ${parquetSource(input)}`
  const select =
    `WITH src AS (${rows})${ctes.map((c) => `, ${c}`).join('')} ` +
    `SELECT s.*${reasons.map((r) => `, ${r}`).join('')} FROM src AS s ${joins.join(' ')}`
  return { checks, select, rowNumber, numbersFromFile: withFileRowNumber }
}

function typeCheck(expectation: ColumnExpectation, kind: ValueKind, numberOf: (column: string) => string): string | undefined {
  const x = `s.${quoteIdent(expectation.name)}`
  const shown = show(x, kind)
  const lead = quoteLiteral(`${expectation.name}: `)
  const fail = (condition: string, words: string) =>
    `CASE WHEN ${x} IS NOT NULL AND (${condition}) THEN ${lead} || ${shown} || ${quoteLiteral(` is not ${words}`)} END`
  switch (expectation.type) {
    case undefined:
    case 'string':
      return undefined
    case 'number':
      if (kind === 'integer' || kind === 'number') return undefined
      return fail(`${numberOf(expectation.name)} IS NULL`, 'a number')
    case 'integer': {
      if (kind === 'integer') return undefined
      const n = kind === 'number' ? `CAST(${x} AS DOUBLE)` : numberOf(expectation.name)
      return fail(`${n} IS NULL OR NOT isfinite(${n}) OR ${n} <> trunc(${n})`, 'an integer')
    }
    case 'boolean':
      if (kind === 'boolean') return undefined
      if (kind === 'integer' || kind === 'number') return fail(`${x} NOT IN (0, 1)`, 'a boolean (true/false)')
      return fail(`TRY_CAST(${x} AS BOOLEAN) IS NULL`, 'a boolean (true/false)')
    case 'date':
      if (kind === 'date' || kind === 'timestamp') return undefined
      return fail(`TRY_CAST(${x} AS DATE) IS NULL`, 'a date')
    case 'timestamp':
      if (kind === 'date' || kind === 'timestamp') return undefined
      return fail(`TRY_CAST(${x} AS TIMESTAMP) IS NULL`, 'a timestamp')
  }
}

function kindOf(schema: DatasetColumn[], column: string): ValueKind {
  const type = schema.find((c) => c.name === column)?.type
  return type ? valueKind(type) : 'other'
}

function parquetSource(input: string): string {
  return `read_parquet(${quoteLiteral(input)})`
}

/** A numeric expression of a column for statistics, with NaN and ±Infinity left out. */
function finiteNumber(column: string, kind: ValueKind): string {
  if (kind === 'integer') return `CAST(${column} AS DOUBLE)`
  const n = kind === 'number' ? `CAST(${column} AS DOUBLE)` : `TRY_CAST(${column} AS DOUBLE)`
  return `CASE WHEN isfinite(${n}) THEN ${n} END`
}

/** The value as text for a reason: text in double quotes, whole numbers without ".0", cut at 60 characters. */
function show(x: string, kind: ValueKind): string {
  const text =
    kind === 'number'
      ? `CASE WHEN isfinite(CAST(${x} AS DOUBLE)) AND ${x} = trunc(${x}) AND abs(${x}) < 1e15 ` +
        `THEN CAST(CAST(${x} AS BIGINT) AS VARCHAR) ELSE CAST(${x} AS VARCHAR) END`
      : `CAST(${x} AS VARCHAR)`
  const cut = `CASE WHEN length(${text}) > 60 THEN left(${text}, 57) || '…' ELSE ${text} END`
  return kind === 'string' ? `('"' || ${cut} || '"')` : `(${cut})`
}

/** A number as a SQL DOUBLE literal. */
function num(value: number): string {
  return Number.isFinite(value) ? `CAST(${String(value)} AS DOUBLE)` : `CAST(${quoteLiteral(String(value))} AS DOUBLE)`
}

/** A number for people: at most 6 significant digits. */
export function fmt(value: number): string {
  return String(Number(value.toPrecision(6)))
}

function finite(value: unknown): number | null {
  if (value === null || value === undefined) return null
  const n = Number(value)
  return Number.isFinite(n) ? n : null
}
