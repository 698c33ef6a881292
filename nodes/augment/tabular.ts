// Tabular mode: random oversampling or SMOTE for chosen minority classes, up to a ratio of the
// largest class, with optional gaussian noise on the new rows.
import { StepError } from '../contract'
import { isNumericKind, quoteIdent, quoteLiteral, valueKind, type DuckSession, type JsonRow } from '../_lib/duckdb'
import { rngFor, type Rng } from '../_lib/images/rng'
import { smoteRowLimit, type AugmentReport, type TabularConfig } from './definition'
import { KdTree } from './kd-tree'
import { sourceTable, type GeneratedRow, type ReplacedColumns, type Source } from './table'

/** More new rows than this in one step is refused: they are staged in memory. */
export const generatedRowLimit = 2_000_000

export interface TabularResult {
  rows: GeneratedRow[]
  replaced: ReplacedColumns
  report: AugmentReport
}

interface ClassRows {
  positions: number[]
  /** per row, the value of each column in `columns` (null when missing or not a finite number) */
  values: (number | null)[][]
}

export async function augmentTable(db: DuckSession, source: Source, given: TabularConfig, signal: AbortSignal): Promise<TabularResult> {
  // a class named twice is grown once
  const config = { ...given, classes: [...new Set(given.classes)] }
  checkColumns(source, config)
  const counts = await classCounts(db, config.labelColumn)
  for (const wanted of config.classes) {
    if (!counts.has(wanted)) {
      const present = [...counts.keys()]
      throw new StepError(
        `Class ${JSON.stringify(wanted)} is not in column "${config.labelColumn}"; it has ${present.length === 0 ? 'no values' : listed(present)}.`,
      )
    }
  }
  const majority = Math.max(...counts.values())
  const target = Math.ceil(config.ratio * majority)
  const valueColumns = [...new Set([...(config.method === 'smote' ? config.features : []), ...(config.noise?.columns ?? [])])]
  const spread = config.noise ? await stds(db, config.noise.columns) : new Map<string, number>()
  const totalNew = config.classes.reduce((sum, label) => sum + Math.max(0, target - counts.get(label)!), 0)
  if (totalNew > generatedRowLimit) {
    throw new StepError(`This would add ${totalNew.toLocaleString('en')} rows; one augment step adds at most ${generatedRowLimit.toLocaleString('en')}. Lower the ratio.`)
  }

  const rows: GeneratedRow[] = []
  const ops: Record<string, number> = {}
  const notes: string[] = []
  const skipped = new Map<string, number>()
  for (const label of config.classes) {
    signal.throwIfAborted()
    const need = Math.max(0, target - counts.get(label)!)
    if (need === 0) continue
    const data = await classRows(db, source, config.labelColumn, label, valueColumns)
    const made = config.method === 'smote' ? smote(config, label, data, valueColumns, need, skipped) : oversample(config, label, data, valueColumns, need)
    for (const row of made) {
      if (config.noise) addNoise(config, label, row, rows.length, spread)
      rows.push(row)
    }
    ops[config.method] = (ops[config.method] ?? 0) + made.length
    if (config.noise) ops.noise = (ops.noise ?? 0) + made.length
  }
  for (const [label, count] of skipped) {
    notes.push(`${count} ${count === 1 ? 'row' : 'rows'} of class ${JSON.stringify(label)} had a missing or non-finite feature and were not used as SMOTE seeds or neighbours.`)
  }
  for (const column of config.noise?.columns ?? []) {
    if (!(spread.get(column)! > 0)) notes.push(`Column "${column}" has no spread (one value or none), so its noise is zero.`)
  }

  const added = new Map<string, number>()
  for (const label of config.classes) added.set(label, Math.max(0, target - counts.get(label)!))
  const report: AugmentReport = {
    mode: 'tabular',
    rowsIn: source.rowCount,
    rowsAdded: rows.length,
    rowsOut: source.rowCount + rows.length,
    classes: [...counts].map(([label, before]) => ({
      label,
      before,
      added: added.get(label) ?? 0,
      after: before + (added.get(label) ?? 0),
      ...(added.has(label) ? { target } : {}),
      ...(skipped.has(label) ? { skippedSeeds: skipped.get(label)! } : {}),
    })),
    ops,
    notes,
  }
  const replaced: ReplacedColumns = Object.fromEntries(valueColumns.map((c) => [c, 'DOUBLE']))
  return { rows, replaced, report }
}

function checkColumns(source: Source, config: TabularConfig): void {
  const types = new Map(source.schema.map((c) => [c.name, c.type]))
  const missing = (name: string) => !types.has(name)
  const names = source.schema.map((c) => c.name)
  if (missing(config.labelColumn)) {
    throw new StepError(`The label column "${config.labelColumn}" is not in the dataset; its columns are ${listed(names)}.`)
  }
  const numeric = [...(config.method === 'smote' ? config.features.map((c) => ['feature', c] as const) : []), ...(config.noise?.columns ?? []).map((c) => ['noise', c] as const)]
  for (const [role, name] of numeric) {
    if (missing(name)) throw new StepError(`The ${role} column "${name}" is not in the dataset; its columns are ${listed(names)}.`)
    if (!isNumericKind(valueKind(types.get(name)!))) {
      throw new StepError(`The ${role} column "${name}" is ${types.get(name)}, not a number; ${role === 'feature' ? 'SMOTE interpolates' : 'noise is added to'} numeric columns only.`)
    }
    if (name === config.labelColumn) throw new StepError(`"${name}" is the label column; it cannot also be a ${role} column.`)
  }
}

function listed(values: readonly string[]): string {
  const shown = values.slice(0, 20).map((v) => JSON.stringify(v)).join(', ')
  return values.length > 20 ? `${shown} and ${values.length - 20} more` : shown
}

/** Rows per class, the label read as text; rows without a label belong to no class. */
async function classCounts(db: DuckSession, labelColumn: string): Promise<Map<string, number>> {
  const label = quoteIdent(labelColumn)
  const rows = await db.rows(
    `SELECT CAST(${label} AS VARCHAR) AS label, count(*) AS n FROM ${sourceTable} WHERE ${label} IS NOT NULL GROUP BY 1 ORDER BY n DESC, label`,
  )
  return new Map(rows.map((r) => [String(r.label), Number(r.n)]))
}

async function stds(db: DuckSession, columns: readonly string[]): Promise<Map<string, number>> {
  const row = (await db.one(`SELECT ${columns.map((c, i) => `stddev_samp(TRY_CAST(${quoteIdent(c)} AS DOUBLE)) AS s${i}`).join(', ')} FROM ${sourceTable}`)) ?? {}
  return new Map(columns.map((c, i) => [c, Number(row[`s${i}`] ?? 0) || 0]))
}

async function classRows(db: DuckSession, source: Source, labelColumn: string, label: string, columns: readonly string[]): Promise<ClassRows> {
  const select = [`${quoteIdent(source.position)} AS pos`, ...columns.map((c, i) => `TRY_CAST(${quoteIdent(c)} AS DOUBLE) AS c${i}`)].join(', ')
  const rows: JsonRow[] = await db.rows(
    `SELECT ${select} FROM ${sourceTable} WHERE CAST(${quoteIdent(labelColumn)} AS VARCHAR) = ${quoteLiteral(label)} ORDER BY pos`,
  )
  return {
    positions: rows.map((r) => Number(r.pos)),
    values: rows.map((r) => columns.map((_, i) => finite(r[`c${i}`]))),
  }
}

function finite(value: unknown): number | null {
  return typeof value === 'number' && Number.isFinite(value) ? value : null
}

function oversample(config: TabularConfig, label: string, data: ClassRows, columns: readonly string[], need: number): GeneratedRow[] {
  return Array.from({ length: need }, (_, j) => {
    const pick = rngFor(config.seed, 'oversample', label, j).int(0, data.positions.length - 1)
    const values = Object.fromEntries(columns.map((c, i) => [c, data.values[pick]![i]]))
    return { from: data.positions[pick]!, ops: ['oversample'], values }
  })
}

/**
 * SMOTE (Chawla et al. 2002): a new point is x + u·(n − x) for a random seed row x of the class, n
 * one of its k nearest same-class neighbours (Euclidean on the feature columns, as they are) and
 * u uniform in [0, 1). Rows with a missing feature take part in neither role.
 */
function smote(config: TabularConfig, label: string, data: ClassRows, columns: readonly string[], need: number, skipped: Map<string, number>): GeneratedRow[] {
  const dims = config.features.length
  const usable = data.values.flatMap((v, i) => (v.slice(0, dims).every((x) => x !== null) ? [i] : []))
  if (usable.length < data.values.length) skipped.set(label, data.values.length - usable.length)
  if (usable.length > smoteRowLimit) {
    throw new StepError(
      `Class ${JSON.stringify(label)} has ${usable.length.toLocaleString('en')} rows; SMOTE searches neighbours in memory for at most ${smoteRowLimit.toLocaleString('en')} rows of a class. Use method 'oversample' or sample the class down first.`,
    )
  }
  if (usable.length < 2) {
    throw new StepError(
      `Class ${JSON.stringify(label)} has ${usable.length} ${usable.length === 1 ? 'row' : 'rows'} with every feature present; SMOTE needs at least 2. Use method 'oversample'.`,
    )
  }
  const points = new Float64Array(usable.length * dims)
  usable.forEach((row, i) => points.set(data.values[row]!.slice(0, dims) as number[], i * dims))
  const tree = new KdTree(points, dims)
  const k = Math.min(config.k, usable.length - 1)
  const neighbours = new Map<number, number[]>()
  return Array.from({ length: need }, (_, j) => {
    const rng: Rng = rngFor(config.seed, 'smote', label, j)
    const seed = rng.int(0, usable.length - 1)
    let near = neighbours.get(seed)
    if (!near) neighbours.set(seed, (near = tree.nearest(seed, k)))
    const other = rng.pick(near)
    const u = rng.next()
    const x = data.values[usable[seed]!]!
    const n = data.values[usable[other]!]!
    const values: Record<string, number | null> = Object.fromEntries(columns.map((c, i) => [c, x[i]!]))
    config.features.forEach((c, i) => (values[c] = x[i]! + u * (n[i]! - x[i]!)))
    return { from: data.positions[usable[seed]!]!, ops: [`smote(neighbour=${data.positions[usable[other]!]},u=${u.toFixed(4)})`], values }
  })
}

function addNoise(config: TabularConfig, label: string, row: GeneratedRow, index: number, spread: Map<string, number>): void {
  const noise = config.noise!
  const rng = rngFor(config.seed, 'noise', label, index)
  for (const column of noise.columns) {
    const value = row.values[column]
    if (typeof value === 'number') row.values[column] = value + rng.normal() * noise.sigma * spread.get(column)!
  }
  row.ops.push(`noise(${noise.sigma})`)
}
