// Isomorphic: the steps that turn columns into model features — one-hot, bins, scaling — whose SQL
// depends on statistics of the data (categories, min/max, quantiles, mean and deviation).
import type { DatasetColumn } from '../contract'
import { isNumericKind, quoteIdent, quoteLiteral, sqlValue } from '../_lib/sql-text'
import { binCount } from './definition'
import type { StatisticValues, StepCompiler } from './compile'
import { finite, withColumn } from './compile-columns'
import { aggregateStatistic, assertFree, kindOf, need, projection, stepError, type Statistic, type StepScope } from './scope'

type Scope<O extends string> = StepScope & { step: Extract<StepScope['step'], { op: O }> }

function needNumeric(scope: StepScope, name: string): DatasetColumn {
  const column = need(scope, name)
  const kind = kindOf(column)
  if (kind !== 'unknown' && !isNumericKind(kind)) {
    throw stepError(scope, `column ${JSON.stringify(name)} holds ${column.type}, not numbers`)
  }
  return column
}

/** A statistic as SQL: its value when the executor computed it, else the subquery itself. */
function numberStat(values: StatisticValues | undefined, stat: Statistic): string {
  if (!values) return `(${stat.sql})`
  const value = values[stat.key]
  const n = typeof value === 'number' ? value : typeof value === 'string' ? Number(value) : NaN
  return Number.isFinite(n) ? `CAST(${sqlValue(n)} AS DOUBLE)` : 'CAST(NULL AS DOUBLE)'
}

const categoriesKey = 'categories'

export const compileOneHot: StepCompiler = {
  statistics(scope) {
    const { step } = scope as Scope<'one_hot'>
    const c = quoteIdent(need(scope, step.column).name)
    // every distinct value as text, most frequent first, ties by value: the columns do not depend on row order
    // one more than kept: whether there are others, without shipping every distinct value
    const counted = `SELECT CAST(${c} AS VARCHAR) AS v, count(*) AS n FROM ${scope.from} WHERE ${c} IS NOT NULL GROUP BY 1`
    const top = `SELECT v, n FROM (${counted}) ORDER BY n DESC, v LIMIT ${step.maxCategories + 1}`
    return [{ key: categoriesKey, sql: `SELECT list(v ORDER BY n DESC, v) FROM (${top})` }]
  },
  compile(scope, values) {
    const { step } = scope as Scope<'one_hot'>
    const column = need(scope, step.column)
    if (!values) {
      const kept = step.dropOriginal ? scope.columns.filter((c) => c.name !== column.name) : scope.columns
      const note = `one 0/1 column per value of ${JSON.stringify(column.name)} (up to ${step.maxCategories}), listed when the step runs`
      return { select: `SELECT ${[...projection(kept), `/* ${note.replaceAll('*/', '* /')} */ …`].join(', ')} FROM ${scope.from}`, columns: kept, note }
    }
    const all = Array.isArray(values[categoriesKey]) ? (values[categoriesKey] as unknown[]).map(String) : []
    const categories = all.slice(0, step.maxCategories)
    const others = all.length > categories.length
    const text = `CAST(${quoteIdent(column.name)} AS VARCHAR)`
    const encoded: [string, string][] = categories.map((v) => [`${column.name}_${v}`, `CASE WHEN ${text} = ${quoteLiteral(v)} THEN 1 ELSE 0 END`])
    if (others) {
      const listed = categories.map(quoteLiteral).join(', ')
      encoded.push([`${column.name}_other`, `CASE WHEN ${text} NOT IN (${listed}) THEN 1 ELSE 0 END`])
    }
    const remaining = scope.columns.filter((c) => !(step.dropOriginal && c.name === column.name))
    const taken = remaining.map((c) => c.name)
    for (const [name] of encoded) {
      assertFree(scope, name, taken)
      taken.push(name)
    }
    const at = scope.columns.findIndex((c) => c.name === column.name) + (step.dropOriginal ? 0 : 1)
    const items = projection(remaining)
    items.splice(at, 0, ...encoded.map(([name, expr]) => `${expr} AS ${quoteIdent(name)}`))
    const columns = [...remaining]
    columns.splice(at, 0, ...encoded.map(([name]) => ({ name, type: 'INTEGER' })))
    const history = step.dropOriginal ? new Map([[column.name, `step ${scope.index + 1} one-hot encoded it and removed it`]]) : undefined
    return { select: `SELECT ${items.join(', ')} FROM ${scope.from}`, columns, history }
  },
}

function binStatistics(scope: StepScope): Statistic[] {
  const { step } = scope as Scope<'bin'>
  const x = finite(needNumeric(scope, step.column))
  if (step.method === 'edges') return []
  if (step.method === 'equal_width') {
    return [
      aggregateStatistic('min', `min(${x})`, scope.from),
      aggregateStatistic('max', `max(${x})`, scope.from),
    ]
  }
  const inner = Array.from({ length: step.count - 1 }, (_, k) => `${(k + 1) / step.count}`)
  return inner.map((q, k) => aggregateStatistic(`q${k + 1}`, `quantile_cont(${x}, ${q})`, scope.from))
}

export const compileBin: StepCompiler = {
  statistics: binStatistics,
  compile(scope, values) {
    const { step } = scope as Scope<'bin'>
    const column = needNumeric(scope, step.column)
    const x = `CAST(${quoteIdent(column.name)} AS DOUBLE)`
    const stats = new Map(binStatistics(scope).map((s) => [s.key, numberStat(values, s)]))
    const n = binCount(step)
    let bin: string
    if (step.method === 'equal_width') {
      const lo = stats.get('min')!
      const hi = stats.get('max')!
      // bin k holds [lo + (k−1)·w, lo + k·w); the maximum goes into the last bin
      bin = `CASE WHEN ${x} IS NULL OR NOT isfinite(${x}) THEN NULL WHEN ${hi} <= ${lo} THEN 1 ELSE least(${n}, CAST(floor((${x} - ${lo}) / (${hi} - ${lo}) * ${n}) AS INTEGER) + 1) END`
    } else if (step.method === 'quantile') {
      const cuts = Array.from({ length: n - 1 }, (_, k) => `WHEN ${x} < ${stats.get(`q${k + 1}`)!} THEN ${k + 1}`)
      bin = `CASE WHEN ${x} IS NULL OR NOT isfinite(${x}) THEN NULL ${cuts.join(' ')} ELSE ${n} END`
    } else {
      const edges = step.edges!.map((e) => sqlValue(e))
      const cuts = edges.slice(1).map((e, k) => `WHEN ${x} ${k === n - 1 ? '<=' : '<'} ${e} THEN ${k + 1}`)
      bin = `CASE WHEN ${x} IS NULL OR ${x} < ${edges[0]!} THEN NULL ${cuts.join(' ')} END`
    }
    const into = step.into ?? `${column.name}_bin`
    const expr = step.labels ? `([${step.labels.map(quoteLiteral).join(', ')}])[${bin}]` : bin
    return withColumn(scope, into, expr, step.labels ? 'VARCHAR' : 'INTEGER', column.name)
  },
}

function scaleStatistics(scope: StepScope): Statistic[] {
  const { step } = scope as Scope<'scale'>
  return step.columns.flatMap((name, i) => {
    const x = finite(needNumeric(scope, name))
    return step.method === 'min_max'
      ? [
          aggregateStatistic(`min_${i}`, `min(${x})`, scope.from),
          aggregateStatistic(`max_${i}`, `max(${x})`, scope.from),
        ]
      : [
          aggregateStatistic(`mean_${i}`, `avg(${x})`, scope.from),
          aggregateStatistic(`std_${i}`, `stddev_pop(${x})`, scope.from),
        ]
  })
}

export const compileScale: StepCompiler = {
  statistics: scaleStatistics,
  compile(scope, values) {
    const { step } = scope as Scope<'scale'>
    const stats = new Map(scaleStatistics(scope).map((s) => [s.key, numberStat(values, s)]))
    const replaced = new Map<string, string>()
    step.columns.forEach((name, i) => {
      const x = `CAST(${quoteIdent(name)} AS DOUBLE)`
      // a constant column scales to 0 rather than to a division by zero
      replaced.set(
        name,
        step.method === 'min_max'
          ? `CASE WHEN ${x} IS NULL THEN NULL WHEN ${stats.get(`max_${i}`)!} > ${stats.get(`min_${i}`)!} THEN (${x} - ${stats.get(`min_${i}`)!}) / (${stats.get(`max_${i}`)!} - ${stats.get(`min_${i}`)!}) ELSE 0.0 END`
          : `CASE WHEN ${x} IS NULL THEN NULL WHEN ${stats.get(`std_${i}`)!} > 0 THEN (${x} - ${stats.get(`mean_${i}`)!}) / ${stats.get(`std_${i}`)!} ELSE 0.0 END`,
      )
    })
    const columns = scope.columns.map((c) => (replaced.has(c.name) ? { ...c, type: 'DOUBLE' } : c))
    return { select: `SELECT ${projection(scope.columns, replaced).join(', ')} FROM ${scope.from}`, columns }
  },
}
