// The input table and the output table of an augment step, in DuckDB. Both modes produce a list
// of generated rows (where each came from, what was done, and the values that differ from its
// source row); the output is every input row followed by the generated ones, in a fixed order.
import { open, rm } from 'node:fs/promises'
import { join } from 'node:path'
import type { DatasetColumn } from '../contract'
import { quoteIdent, quoteLiteral, type DuckSession } from '../_lib/duckdb'
import { describeParquet } from '../_lib/parquet'
import { lineageColumns } from './definition'

export const sourceTable = 'pw_augment_source'
const generatedTable = 'pw_augment_generated'

export interface Source {
  /** the input's columns, without the position column */
  schema: DatasetColumn[]
  rowCount: number
  /** the column of `sourceTable` holding each row's 1-based position in the input */
  position: string
}

/** A row the step makes: copied from `from` (a 1-based position), with `values` replacing some of its columns. */
export interface GeneratedRow {
  from: number
  ops: string[]
  values: Record<string, unknown>
}

/** Which columns generated rows replace, with the DuckDB type their values are staged as. */
export type ReplacedColumns = Record<string, string>

/** A name that is none of the input's columns. */
export function freshName(schema: readonly { name: string }[], base: string): string {
  const taken = new Set(schema.map((c) => c.name.toLowerCase()))
  let name = base
  for (let i = 1; taken.has(name.toLowerCase()); i++) name = `${base}_${i}`
  return name
}

/** Loads the input with each row's position (WITH ORDINALITY: the file's own row order). */
export async function loadSource(db: DuckSession, path: string): Promise<Source> {
  const { schema, rowCount } = await describeParquet(path, db)
  const position = freshName(schema, '__pw_position')
  const aliases = [...schema.map((c) => quoteIdent(c.name)), quoteIdent(position)].join(', ')
  await db.exec(`CREATE TEMP TABLE ${sourceTable} AS SELECT * FROM read_parquet(${quoteLiteral(path)}) WITH ORDINALITY AS s(${aliases})`)
  return { schema, rowCount, position }
}

export interface OutputPlan {
  source: Source
  rows: readonly GeneratedRow[]
  replaced: ReplacedColumns
  /** columns generated rows carry that the input lacks (an image dataset without boxes), with their value for input rows */
  added?: Record<string, { type: string; inputValue: string }>
  workDir: string
}

/**
 * Writes input rows then generated rows to `target`. Every column keeps the input's type (a
 * replaced value is cast to it: SMOTE's points in an integer column are rounded); `_source_row`
 * and `_ops` come last, replacing any the input already had.
 */
export async function writeOutput(db: DuckSession, plan: OutputPlan, target: string): Promise<void> {
  const { source, rows, replaced } = plan
  const added = plan.added ?? {}
  const staged = join(plan.workDir, `augment-rows-${process.pid}-${Date.now()}.ndjson`)
  const valueName = (i: number) => `v${i}`
  const replacedNames = Object.keys(replaced)
  await stageRows(staged, rows, (row, seq) => {
    const staging: Record<string, unknown> = { seq, from: row.from, ops: row.ops }
    replacedNames.forEach((name, i) => (staging[valueName(i)] = row.values[name] ?? null))
    return JSON.stringify(staging)
  })
  try {
    const stagedTypes = [`'seq': 'BIGINT'`, `'from': 'BIGINT'`, `'ops': 'VARCHAR[]'`, ...replacedNames.map((name, i) => `${quoteLiteral(valueName(i))}: ${quoteLiteral(replaced[name]!)}`)]
    await db.exec(
      rows.length === 0
        ? `CREATE TEMP TABLE ${generatedTable} AS SELECT * FROM (SELECT NULL::BIGINT AS seq, NULL::BIGINT AS "from", NULL::VARCHAR[] AS ops${replacedNames.map((name, i) => `, NULL::${replaced[name]} AS ${valueName(i)}`).join('')}) WHERE FALSE`
        : `CREATE TEMP TABLE ${generatedTable} AS SELECT * FROM read_json(${quoteLiteral(staged)}, format = 'newline_delimited', columns = {${stagedTypes.join(', ')}})`,
    )
  } finally {
    await rm(staged, { force: true })
  }

  const typeOf = new Map([...source.schema.map((c) => [c.name, c.type] as const), ...Object.entries(added).map(([n, a]) => [n, a.type] as const)])
  const lineage = [lineageColumns.sourceRow, lineageColumns.ops]
  const excluded = [source.position, ...source.schema.filter((c) => lineage.includes(c.name as never)).map((c) => c.name)]
  const part = freshName(source.schema, '__pw_part')
  const order = freshName(source.schema, '__pw_order')
  const inputColumns = `s.* EXCLUDE (${excluded.map(quoteIdent).join(', ')})`
  const addedForInput = Object.entries(added).map(([name, a]) => `, ${a.inputValue} AS ${quoteIdent(name)}`).join('')
  const replaceInput = replacedNames.filter((name) => !(name in added))
  const replaceList = replaceInput.map((name) => `CAST(g.${valueName(replacedNames.indexOf(name))} AS ${typeOf.get(name)}) AS ${quoteIdent(name)}`)
  const addedForGenerated = Object.keys(added)
    .map((name) => `, CAST(g.${valueName(replacedNames.indexOf(name))} AS ${typeOf.get(name)}) AS ${quoteIdent(name)}`)
    .join('')
  const tail = (from: string, ops: string, partValue: number, orderValue: string) =>
    `, ${from} AS ${quoteIdent(lineageColumns.sourceRow)}, ${ops} AS ${quoteIdent(lineageColumns.ops)}, ${partValue} AS ${quoteIdent(part)}, ${orderValue} AS ${quoteIdent(order)}`
  const p = quoteIdent(source.position)
  const inputs = `SELECT ${inputColumns}${addedForInput}${tail(`s.${p}`, 'CAST([] AS VARCHAR[])', 0, `s.${p}`)} FROM ${sourceTable} AS s`
  const generated =
    `SELECT ${inputColumns}${replaceList.length > 0 ? ` REPLACE (${replaceList.join(', ')})` : ''}${addedForGenerated}` +
    `${tail('g."from"', 'g.ops', 1, 'g.seq')} FROM ${generatedTable} AS g JOIN ${sourceTable} AS s ON s.${p} = g."from"`
  await db.exec(
    `COPY (SELECT * EXCLUDE (${quoteIdent(part)}, ${quoteIdent(order)}) FROM (${inputs} UNION ALL ${generated}) ` +
      `ORDER BY ${quoteIdent(part)}, ${quoteIdent(order)}) TO ${quoteLiteral(target)} (FORMAT parquet)`,
  )
}

/** NDJSON, written in batches: millions of rows would not fit in one string. */
async function stageRows(path: string, rows: readonly GeneratedRow[], line: (row: GeneratedRow, seq: number) => string): Promise<void> {
  const file = await open(path, 'w')
  try {
    const batch = 10_000
    for (let start = 0; start < rows.length; start += batch) {
      const lines = rows.slice(start, start + batch).map((row, i) => line(row, start + i))
      await file.write(lines.join('\n') + '\n')
    }
  } finally {
    await file.close()
  }
}
