// Pure: the DuckDB SQL that decides which side every row goes to. run.ts executes it.
//
// Every method produces one narrow table, `pw_split_assign`, with a row per input row in input order:
// its position `pos`, its `side` (0 train, 1 validation, 2 test) and the columns the report counts.
// The sides are then written by scanning the input beside that table (a positional join), so the
// input's rows keep their order and their bytes, and the wide rows are never sorted.
import { StepError, type DatasetColumn } from '../contract'
import { quoteIdent, quoteLiteral, valueKind } from '../_lib/duckdb'
import type { SplitConfig, SplitMethod } from './definition'

export const assignTable = 'pw_split_assign'

/** Side numbers in the assign table, in the order of `splitSides`. */
export const sideNumber = { train: 0, validation: 1, test: 2 } as const

export interface SplitPlan {
  method: SplitMethod
  /** the column the method works on: the stratum, group or time column */
  column: string | null
  /** the column whose values the report counts per side: the stratify column, else `label` */
  labelColumn: string | null
  /** the statement that creates the assign table */
  sql: string
}

/** A uniform number in [0, 1) from a 64-bit hash: its top 53 bits, which a double holds exactly. */
const unitInterval = (hash: string) => `((${hash}) >> 11)::DOUBLE / 9007199254740992.0`

/**
 * Where the first side ends and the second ends, as fractions of the rows, for ratios in filling
 * order. A side whose ratio is 0 gets no row at all: the cut that would give it one is exactly 0 or 1.
 */
export function cuts(ratios: readonly [number, number, number]): [number, number] {
  const [a, b, c] = ratios
  const total = a + b + c
  const first = b === 0 && c === 0 ? 1 : a / total
  const second = c === 0 ? 1 : (a + b) / total
  return [first, second]
}

/** `value < scale * cut`, written as TRUE or FALSE at the ends so rounding cannot move a row across them. */
function below(value: string, scale: string, cut: number): string {
  if (cut <= 0) return 'FALSE'
  if (cut >= 1) return 'TRUE'
  return `${value} < ${scale} * ${cut}::DOUBLE`
}

function sideCase(value: string, scale: string, [first, second]: [number, number], order: readonly [number, number, number]): string {
  return `CASE WHEN ${below(value, scale, first)} THEN ${order[0]} WHEN ${below(value, scale, second)} THEN ${order[1]} ELSE ${order[2]} END`
}

/** The method a config asks for, and the column it names. */
export function methodOf(config: SplitConfig): { method: SplitMethod; column: string | null } {
  if (config.stratifyBy !== undefined) return { method: 'stratified', column: config.stratifyBy }
  if (config.groupBy !== undefined) return { method: 'grouped', column: config.groupBy }
  if (config.timeColumn !== undefined) return { method: 'time', column: config.timeColumn }
  return { method: 'random', column: null }
}

/** A StepError unless every column the config names is in the input, and the time column holds times. */
export function assertColumns(config: SplitConfig, schema: DatasetColumn[]): void {
  const named = [
    ['stratifyBy', config.stratifyBy],
    ['groupBy', config.groupBy],
    ['timeColumn', config.timeColumn],
  ] as const
  for (const [field, name] of named) {
    if (name === undefined || schema.some((c) => c.name === name)) continue
    const near = schema.find((c) => c.name.toLowerCase() === name.toLowerCase() || c.name.trim() === name.trim())
    throw new StepError(
      `${field}: the column "${name}" is not in the input${near ? ` (did you mean "${near.name}"?)` : ''}. ` +
        `Its columns are: ${schema.map((c) => `"${c.name}"`).join(', ') || 'none'}.`,
    )
  }
  const time = schema.find((c) => c.name === config.timeColumn)
  if (time && !['date', 'timestamp', 'time', 'integer', 'number'].includes(valueKind(time.type))) {
    throw new StepError(
      `timeColumn: "${time.name}" is ${time.type}; a time split needs a date, timestamp or number column. ` +
        `Text dates can be parsed first with a transform's parse_date step.`,
    )
  }
}

export interface PlanInput {
  path: string
  rowCount: number
  schema: DatasetColumn[]
  config: SplitConfig
}

export function planSplit({ path, rowCount, schema, config }: PlanInput): SplitPlan {
  const { method, column } = methodOf(config)
  const labelColumn = method === 'stratified' ? column : schema.some((c) => c.name === 'label') ? 'label' : null
  const seed = `${config.seed}::BIGINT`
  const { train, validation, test } = config.ratios
  const keyType = schema.find((c) => c.name === column)?.type ?? ''
  const rows = rowsWithPosition(path, rowCount, { key: column, label: labelColumn }, keyType, method === 'time')
  const label = labelColumn !== null

  let query: { ctes: string[]; select: string }
  switch (method) {
    case 'random':
    case 'stratified':
      query = { ctes: [], select: rowByRow(method === 'stratified', seed, label, cuts([train, validation, test])) }
      break
    case 'grouped':
      // whole groups, in an order drawn from the seed, fill train, then validation, then test
      query = wholeUnits({ where: '', order: `hash(${seed}, key), key`, cuts: cuts([train, validation, test]), sides: [0, 1, 2], rowCount, label })
      break
    case 'time':
      // distinct times, newest first, fill test, then validation; rows without a time go to train
      query = wholeUnits({ where: 'WHERE key IS NOT NULL', order: 'key DESC', cuts: cuts([test, validation, train]), sides: [2, 1, 0], rowCount, label })
      break
  }
  const ctes = [`rows AS (${rows})`, ...query.ctes].join(', ')
  return { method, column, labelColumn, sql: `CREATE TEMP TABLE ${assignTable} AS WITH ${ctes} ${query.select}` }
}

/**
 * Within each stratum (all rows, for random) the rows are ranked by a hash of the seed and their
 * position; a row goes to train while rank + offset < count · cut. The offset, one per stratum and
 * seed, rounds each stratum's sizes up or down at random, so every side is within one row of exact
 * per stratum, and many small strata still add up to the ratios overall.
 */
function rowByRow(stratified: boolean, seed: string, hasLabel: boolean, sideCuts: [number, number]): string {
  const label = hasLabel ? ', label' : ''
  const partition = stratified ? 'PARTITION BY key' : ''
  const offset = unitInterval(stratified ? `hash(${seed}, 'stratum', key)` : `hash(${seed}, 'stratum')`)
  return (
    `SELECT pos${label}, ${sideCase('rk + off', 'cnt', sideCuts, [0, 1, 2])} AS side FROM (` +
    `SELECT pos${label}, row_number() OVER (${partition} ORDER BY hash(${seed}, pos), pos) - 1 AS rk, ` +
    `count(*) OVER (${partition}) AS cnt, ${offset} AS off FROM rows) ORDER BY pos`
  )
}

/**
 * Units (groups, or rows of one time) are never divided: in the given order they fill the sides,
 * each going to the side in which its middle row falls. That puts every boundary at the unit edge
 * nearest to the exact cut. Rows outside every unit (`where`) go to train.
 */
function wholeUnits(options: {
  where: string
  order: string
  cuts: [number, number]
  sides: readonly [number, number, number]
  rowCount: number
  /** whether the rows carry the report's label column */
  label: boolean
}): { ctes: string[]; select: string } {
  const n = `${options.rowCount}::BIGINT`
  return {
    ctes: [
      `units AS (SELECT key, count(*) AS n FROM rows ${options.where} GROUP BY key)`,
      `placed AS (SELECT key, n, sum(n) OVER (ORDER BY ${options.order} ROWS UNBOUNDED PRECEDING) - n AS before FROM units)`,
      `sides AS (SELECT key, ${sideCase('2 * before + n', `2 * ${n}`, options.cuts, options.sides)} AS side FROM placed)`,
    ],
    // IS NOT DISTINCT FROM: the rows without a group value are one group
    select:
      `SELECT rows.pos${options.label ? ', rows.label' : ''}, rows.key, coalesce(sides.side, ${sideNumber.train}) AS side ` +
      `FROM rows LEFT JOIN sides ON rows.key IS NOT DISTINCT FROM sides.key ORDER BY rows.pos`,
  }
}

/**
 * The input's rows with their 0-based position, reading only the named columns. The position comes
 * from scanning the file beside a counter (a positional join), which also works when the input has a
 * column of DuckDB's own name for it, `file_row_number`.
 */
function rowsWithPosition(
  path: string,
  rowCount: number,
  columns: { key: string | null; label: string | null },
  keyType: string,
  nanIsNull: boolean,
): string {
  const picked = ['r.pw_pos AS pos']
  if (columns.key !== null) {
    const key = `p.${quoteIdent(columns.key)}`
    const floating = ['FLOAT', 'DOUBLE', 'REAL'].includes(keyType.toUpperCase())
    // NaN sorts above every number in DuckDB: a time split would take it for the newest time
    picked.push(`${nanIsNull && floating ? `CASE WHEN isnan(${key}) THEN NULL ELSE ${key} END` : key} AS key`)
  }
  if (columns.label !== null) picked.push(`p.${quoteIdent(columns.label)} AS label`)
  return `SELECT ${picked.join(', ')} FROM ${inputScan(path)} p POSITIONAL JOIN (SELECT range AS pw_pos FROM range(${rowCount})) r`
}

export function inputScan(path: string): string {
  return `read_parquet(${quoteLiteral(path)})`
}

/** One side's rows, in input order, with exactly the input's columns. */
export function sideSql(path: string, side: number): string {
  return `SELECT p.* FROM ${inputScan(path)} p POSITIONAL JOIN ${assignTable} a WHERE a.side = ${side}`
}
