// Isomorphic: the steps that reshape columns and rows, compiled to one SELECT each.
import type { DatasetColumn } from '../contract'
import { isNumericKind, quoteIdent, quoteLiteral } from '../_lib/sql-text'
import type { CastType, FilterCondition, TransformOp } from './definition'
import type { StepCompiler } from './compile'
import { ExpressionError, expressionSql, parseExpression, referencedColumns } from './expression'
import {
  aggregateStatistic,
  assertFree,
  helperName,
  kindOf,
  need,
  projection,
  sameName,
  statLiteral,
  stepError,
  stepLabel,
  typedLiteral,
  unknownType,
  type Statistic,
  type StepScope,
} from './scope'

type Scope<O extends TransformOp> = StepScope & { step: Extract<StepScope['step'], { op: O }> }
type Result = ReturnType<StepCompiler['compile']>

const select = (items: string[], from: string, rest = '') => `SELECT ${items.join(', ')} FROM ${from}${rest}`

export function compileDrop(scope: StepScope): Result {
  const { step } = scope as Scope<'drop'>
  const gone = new Set(step.columns.map((name) => need(scope, name).name))
  const kept = scope.columns.filter((c) => !gone.has(c.name))
  if (kept.length === 0) throw stepError(scope, 'this would drop every column; keep at least one')
  const history = new Map([...gone].map((name) => [name, `step ${scope.index + 1} dropped it`]))
  return { select: select(projection(kept), scope.from), columns: kept, history }
}

export function compileRename(scope: StepScope): Result {
  const { step } = scope as Scope<'rename'>
  const renames = new Map<string, string>()
  for (const { from, to } of step.columns) {
    need(scope, from)
    if (renames.has(from)) throw stepError(scope, `column ${JSON.stringify(from)} is renamed twice`)
    renames.set(from, to)
  }
  const columns = scope.columns.map((c) => ({ ...c, name: renames.get(c.name) ?? c.name }))
  columns.forEach((c, i) => {
    const clash = columns.findIndex((other, j) => j !== i && sameName(other.name, c.name))
    if (clash >= 0) throw stepError(scope, `after renaming, two columns would be called ${JSON.stringify(c.name)}`)
  })
  const items = scope.columns.map((c) => {
    const to = renames.get(c.name)
    return to === undefined ? quoteIdent(c.name) : `${quoteIdent(c.name)} AS ${quoteIdent(to)}`
  })
  const history = new Map(
    [...renames].filter(([from, to]) => from !== to).map(([from, to]) => [from, `step ${scope.index + 1} renamed it to ${JSON.stringify(to)}`]),
  )
  return { select: select(items, scope.from), columns, history }
}

export const castSqlTypes: Record<CastType, string> = {
  integer: 'BIGINT',
  number: 'DOUBLE',
  text: 'VARCHAR',
  boolean: 'BOOLEAN',
  date: 'DATE',
  timestamp: 'TIMESTAMP',
}

/**
 * A conversion that, when `onError` is 'fail', stops the query at the first value it cannot
 * convert with a message naming the step, the column and the value (DuckDB's `error()`).
 */
function converted(scope: StepScope, column: string, tryExpr: string, onError: 'fail' | 'null', what: string): string {
  if (onError === 'null') return tryExpr
  const c = quoteIdent(column)
  const message = `${quoteLiteral(`${stepLabel(scope)}: `)} || to_json(${c})::VARCHAR || ${quoteLiteral(
    ` in column ${JSON.stringify(column)} ${what}; set onError to 'null' to leave such values empty`,
  )}`
  return `CASE WHEN ${c} IS NOT NULL AND ${tryExpr} IS NULL THEN error(${message}) ELSE ${tryExpr} END`
}

export function compileCast(scope: StepScope): Result {
  const { step } = scope as Scope<'cast'>
  const type = castSqlTypes[step.to]
  const replaced = new Map<string, string>()
  for (const name of step.columns) {
    need(scope, name)
    replaced.set(name, converted(scope, name, `TRY_CAST(${quoteIdent(name)} AS ${type})`, step.onError, `cannot be converted to ${step.to}`))
  }
  const columns = scope.columns.map((c) => (replaced.has(c.name) ? { ...c, type } : c))
  return { select: select(projection(scope.columns, replaced), scope.from), columns }
}

/** Float columns: NaN and ±Infinity are left out of statistics, as the profile does. */
export function finite(column: DatasetColumn): string {
  const c = quoteIdent(column.name)
  const t = column.type.toUpperCase()
  return t === 'FLOAT' || t === 'DOUBLE' || t === 'REAL' ? `CASE WHEN isfinite(${c}) THEN ${c} END` : c
}

function fillStatistic(scope: StepScope, column: DatasetColumn, strategy: 'mean' | 'median' | 'mode', key = ''): Statistic {
  const kind = kindOf(column)
  if (strategy !== 'mode' && kind !== 'unknown' && !isNumericKind(kind)) {
    throw stepError(scope, `the ${strategy} of column ${JSON.stringify(column.name)} is not defined: it holds ${column.type}, not numbers`)
  }
  const c = quoteIdent(column.name)
  if (strategy === 'mean') return aggregateStatistic(key, `avg(${finite(column)})`, scope.from)
  if (strategy === 'median') return aggregateStatistic(key, `median(${finite(column)})`, scope.from)
  // the most frequent value; ties go to the smallest, so the result does not depend on row order
  return { key, sql: `SELECT ${c} FROM ${scope.from} WHERE ${c} IS NOT NULL GROUP BY ${c} ORDER BY count(*) DESC, ${c} LIMIT 1` }
}

export const compileFill: StepCompiler = {
  statistics(scope) {
    const { step } = scope as Scope<'fill_nulls'>
    if (step.strategy === 'constant') return []
    const strategy = step.strategy
    return step.columns.map((name, i) => fillStatistic(scope, need(scope, name), strategy, `fill_${i}`))
  },
  compile(scope, values) {
    const { step } = scope as Scope<'fill_nulls'>
    const replaced = new Map<string, string>()
    const columns = [...scope.columns]
    step.columns.forEach((name, i) => {
      const column = need(scope, name)
      const c = quoteIdent(name)
      let fill: string
      if (step.strategy === 'constant') {
        fill = typedLiteral(scope, column, step.value!, 'fill value')
      } else {
        const { sql } = fillStatistic(scope, column, step.strategy)
        const type = step.strategy === 'mode' ? column.type : 'DOUBLE'
        fill = values ? statLiteral(values[`fill_${i}`], type === unknownType ? 'VARCHAR' : type) : `(${sql})`
      }
      replaced.set(name, `coalesce(${c}, ${fill})`)
      // a mean or median of integers is a fraction: the column becomes DOUBLE
      if (step.strategy === 'mean' || step.strategy === 'median') {
        columns[columns.findIndex((x) => x.name === name)] = { ...column, type: 'DOUBLE' }
      }
    })
    return { select: select(projection(scope.columns, replaced), scope.from), columns }
  },
}

export function compileDedupe(scope: StepScope): Result {
  const { step } = scope as Scope<'dedupe'>
  const subset = step.columns && step.columns.length > 0 ? step.columns.map((n) => need(scope, n).name) : scope.columns.map((c) => c.name)
  const row = quoteIdent(helperName('_row', scope.columns))
  const order = step.keep === 'first' ? row : `${row} DESC`
  const numbered = `(SELECT *, row_number() OVER () AS ${row} FROM ${scope.from})`
  return {
    select:
      select(projection(scope.columns), numbered) +
      ` QUALIFY row_number() OVER (PARTITION BY ${subset.map(quoteIdent).join(', ')} ORDER BY ${order}) = 1 ORDER BY ${row}`,
    columns: scope.columns,
  }
}

function conditionSql(scope: StepScope, condition: FilterCondition): string {
  const column = need(scope, condition.column)
  const c = quoteIdent(column.name)
  switch (condition.operator) {
    case '=':
    case '!=':
    case '<':
    case '<=':
    case '>':
    case '>=':
      return `${c} ${condition.operator === '!=' ? '<>' : condition.operator} ${typedLiteral(scope, column, condition.value)}`
    case 'is null':
      return `${c} IS NULL`
    case 'is not null':
      return `${c} IS NOT NULL`
    case 'contains':
    case 'starts with': {
      const fn = condition.operator === 'contains' ? 'contains' : 'starts_with'
      const text = `CAST(${c} AS VARCHAR)`
      return condition.caseSensitive
        ? `${fn}(${text}, ${quoteLiteral(condition.value)})`
        : `${fn}(lower(${text}), lower(${quoteLiteral(condition.value)}))`
    }
    case 'in list':
      return `${c} IN (${condition.values.map((v) => typedLiteral(scope, column, v)).join(', ')})`
    case 'between':
      return `${c} BETWEEN ${typedLiteral(scope, column, condition.min, 'min')} AND ${typedLiteral(scope, column, condition.max, 'max')}`
  }
}

export function compileFilter(scope: StepScope): Result {
  const { step } = scope as Scope<'filter'>
  const joiner = step.combine === 'all' ? ' AND ' : ' OR '
  // a condition on a NULL is unknown; coalesce makes "unknown" drop the row under `any` as well
  const where = step.conditions.map((c) => `coalesce(${conditionSql(scope, c)}, FALSE)`).join(joiner)
  return { select: select(projection(scope.columns), scope.from, ` WHERE ${where}`), columns: scope.columns }
}

export function compileDerive(scope: StepScope): Result {
  const { step } = scope as Scope<'derive'>
  let sql: string
  try {
    const expr = parseExpression(step.expression)
    for (const ref of referencedColumns(expr)) {
      if (!scope.columns.some((c) => c.name === ref.name)) {
        throw new ExpressionError(`there is no column ${JSON.stringify(ref.name)}`, ref.at, step.expression)
      }
    }
    sql = expressionSql(expr)
  } catch (error) {
    if (!(error instanceof ExpressionError)) throw error
    const columns = error.reason.startsWith('there is no column') ? ` The columns are: ${scope.columns.map((c) => JSON.stringify(c.name)).join(', ')}` : ''
    throw stepError(scope, `the expression does not work: ${error.message}.${columns}\n${error.pointer()}`)
  }
  return withColumn(scope, step.name, sql, unknownType)
}

/** The columns with `name` set to `expr`: in place when it exists, else appended. */
export function withColumn(scope: StepScope, name: string, expr: string, type: string, after?: string): Result {
  const existing = scope.columns.find((c) => c.name === name)
  if (existing) {
    const columns = scope.columns.map((c) => (c.name === name ? { name, type } : c))
    return { select: select(projection(scope.columns, new Map([[name, expr]])), scope.from), columns }
  }
  assertFree(scope, name, scope.columns.map((c) => c.name))
  const at = after === undefined ? scope.columns.length : scope.columns.findIndex((c) => c.name === after) + 1
  const items = projection(scope.columns)
  items.splice(at, 0, `${expr} AS ${quoteIdent(name)}`)
  const columns = [...scope.columns]
  columns.splice(at, 0, { name, type })
  return { select: select(items, scope.from), columns }
}

export function compileParseDate(scope: StepScope): Result {
  const { step } = scope as Scope<'parse_date'>
  const column = need(scope, step.column)
  const kind = kindOf(column)
  if (kind !== 'string' && kind !== 'unknown') {
    throw stepError(scope, `column ${JSON.stringify(column.name)} holds ${column.type}, not text; use a cast step to change its type`)
  }
  const type = step.to === 'date' ? 'DATE' : 'TIMESTAMP'
  const parsed = `CAST(try_strptime(${quoteIdent(column.name)}, ${quoteLiteral(step.format)}) AS ${type})`
  const expr = converted(scope, column.name, parsed, step.onError, `does not match the format ${JSON.stringify(step.format)}`)
  return withColumn(scope, step.into ?? column.name, expr, type, column.name)
}

