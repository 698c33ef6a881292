// Server-only: what a Parquet dataset holds — its schema, its first rows, and statistics per column.
// The step-output page and the artifact metadata use these; so do the data nodes.
import type { DatasetColumn } from '../contract'
import {
  isNumericKind,
  quoteIdent,
  quoteLiteral,
  valueKind,
  withDuckDB,
  type DuckSession,
  type JsonRow,
  type JsonValue,
  type ValueKind,
} from './duckdb'

export interface ParquetDescription {
  rowCount: number
  schema: DatasetColumn[]
}

export interface ParquetPreview extends ParquetDescription {
  /** rows `offset + 1 … offset + limit`, keyed by column name, JSON-safe */
  rows: JsonRow[]
  offset: number
  limit: number
}

export interface ColumnProfile {
  name: string
  /** DuckDB's type name */
  type: string
  kind: ValueKind
  /** non-null values */
  count: number
  nulls: number
  /** nulls / rows, 0 when the dataset is empty */
  nullFraction: number
  /** approximate number of distinct non-null values (HyperLogLog, never above the count); null for lists and structs */
  distinct: number | null
  /** numbers as numbers; dates, timestamps and text as strings (ISO for temporal values); null for nested types */
  min: number | string | boolean | null
  max: number | string | boolean | null
  /** numbers only (NaN and ±Infinity are left out of numeric statistics) */
  mean: number | null
  std: number | null
  quantiles: { q25: number; q50: number; q75: number } | null
  /** equal-width bins from min to max; numbers only */
  histogram: { edges: number[]; counts: number[] } | null
  /** the most frequent values with their counts; text and boolean columns only */
  topValues: { value: JsonValue; count: number }[] | null
}

export interface DatasetProfile {
  rowCount: number
  columns: ColumnProfile[]
}

export interface ProfileOptions {
  /** how many frequent values to list per text column (default 10) */
  topK?: number
  /** histogram bins per numeric column (default 20) */
  bins?: number
}

/** Runs `work` in the given session, or in a fresh one that is closed afterwards. */
function using<T>(db: DuckSession | undefined, work: (db: DuckSession) => Promise<T>): Promise<T> {
  return db ? work(db) : withDuckDB(work)
}

function source(path: string): string {
  return `read_parquet(${quoteLiteral(path)})`
}

/** The row count (from the file's footer, without a scan) and the columns of a Parquet file. */
export function describeParquet(path: string, db?: DuckSession): Promise<ParquetDescription> {
  return using(db, async (db) => {
    const meta = await db.one(`SELECT num_rows FROM parquet_file_metadata(${quoteLiteral(path)})`)
    const columns = await db.rows(`DESCRIBE SELECT * FROM ${source(path)}`)
    return {
      rowCount: Number(meta?.num_rows ?? 0),
      schema: columns.map((c) => ({ name: String(c.column_name), type: String(c.column_type) })),
    }
  })
}

/** Rows `offset + 1 … offset + limit` of a Parquet file as JSON-safe objects, with the file's schema. */
export function previewParquet(path: string, limit = 100, offset = 0, db?: DuckSession): Promise<ParquetPreview> {
  const lim = Math.max(0, Math.floor(limit))
  const off = Math.max(0, Math.floor(offset))
  return using(db, async (db) => {
    const description = await describeParquet(path, db)
    const rows = await db.rows(`SELECT * FROM ${source(path)} LIMIT ${lim} OFFSET ${off}`)
    return { ...description, rows, offset: off, limit: lim }
  })
}

/**
 * Statistics per column in three scans: one for counts, extremes, moments and quantiles of every
 * column, one for the histograms of numeric columns, one for the frequent values of text columns.
 */
export function profileParquet(path: string, options: ProfileOptions = {}, db?: DuckSession): Promise<DatasetProfile> {
  const topK = Math.max(1, Math.floor(options.topK ?? 10))
  const bins = Math.max(1, Math.floor(options.bins ?? 20))
  return using(db, async (db) => {
    const { rowCount, schema } = await describeParquet(path, db)
    if (schema.length === 0) return { rowCount, columns: [] }

    const aggregates: string[] = []
    schema.forEach((column, i) => {
      const kind = valueKind(column.type)
      const c = quoteIdent(column.name)
      aggregates.push(`count(${c}) AS n${i}`)
      if (kind === 'other') {
        aggregates.push(`NULL AS d${i}`, `NULL AS lo${i}`, `NULL AS hi${i}`)
      } else {
        aggregates.push(`approx_count_distinct(${c}) AS d${i}`)
        if (isNumericKind(kind)) {
          const x = numericExpr(c, column.type)
          aggregates.push(
            `min(${x}) AS lo${i}`,
            `max(${x}) AS hi${i}`,
            `avg(${x}) AS mean${i}`,
            `stddev_samp(${x}) AS sd${i}`,
            `quantile_cont(${x}, [0.25, 0.5, 0.75]) AS q${i}`,
          )
        } else if (kind === 'boolean') {
          aggregates.push(`bool_and(${c}) AS lo${i}`, `bool_or(${c}) AS hi${i}`)
        } else {
          aggregates.push(`min(${c}) AS lo${i}`, `max(${c}) AS hi${i}`)
        }
      }
    })
    const stats = (await db.one(`SELECT ${aggregates.join(', ')} FROM ${source(path)}`)) ?? {}

    const profiles: ColumnProfile[] = schema.map((column, i) => {
      const kind = valueKind(column.type)
      const count = toNumber(stats[`n${i}`]) ?? 0
      const q = stats[`q${i}`]
      const quantiles =
        Array.isArray(q) && q.length === 3 && q.every((v) => typeof v === 'number')
          ? { q25: q[0] as number, q50: q[1] as number, q75: q[2] as number }
          : null
      return {
        name: column.name,
        type: column.type,
        kind,
        count,
        nulls: rowCount - count,
        nullFraction: rowCount === 0 ? 0 : (rowCount - count) / rowCount,
        distinct: kind === 'other' ? null : Math.min(count, toNumber(stats[`d${i}`]) ?? 0),
        min: scalar(stats[`lo${i}`]),
        max: scalar(stats[`hi${i}`]),
        mean: finiteOrNull(stats[`mean${i}`]),
        std: finiteOrNull(stats[`sd${i}`]),
        quantiles,
        histogram: null,
        topValues: null,
      }
    })

    // histograms: equal-width upper edges from min to max; DuckDB counts values <= each edge
    const histogramSql: string[] = []
    const edgesByColumn = new Map<number, number[]>()
    profiles.forEach((p, i) => {
      if (!isNumericKind(p.kind) || typeof p.min !== 'number' || typeof p.max !== 'number') return
      const column = schema[i]!
      const lo = p.min
      const hi = p.max
      const n = lo === hi ? 1 : bins
      const edges = Array.from({ length: n + 1 }, (_, k) => (k === n ? hi : lo + ((hi - lo) * k) / n))
      edgesByColumn.set(i, edges)
      const upper = edges.slice(1).map((e) => `${e}::DOUBLE`).join(', ')
      histogramSql.push(`histogram(${numericExpr(quoteIdent(column.name), column.type)}::DOUBLE, [${upper}]) AS h${i}`)
    })
    if (histogramSql.length > 0) {
      const row = (await db.one(`SELECT ${histogramSql.join(', ')} FROM ${source(path)}`)) ?? {}
      for (const [i, edges] of edgesByColumn) {
        const upper = edges.slice(1)
        const counts = upper.map(() => 0)
        const entries = row[`h${i}`]
        if (Array.isArray(entries)) {
          for (const entry of entries) {
            if (!entry || typeof entry !== 'object' || Array.isArray(entry)) continue
            const key = Number(entry.key)
            const value = Number(entry.value)
            let at = upper.findIndex((edge) => key <= edge)
            if (at < 0) at = upper.length - 1
            counts[at]! += value
          }
        }
        profiles[i]!.histogram = { edges, counts }
      }
    }

    // frequent values of text and boolean columns, one UNION ALL query
    const topSql: string[] = []
    profiles.forEach((p, i) => {
      if (p.kind !== 'string' && p.kind !== 'boolean') return
      const c = quoteIdent(p.name)
      topSql.push(
        `(SELECT ${i} AS col, to_json(${c})::VARCHAR AS value, count(*) AS n FROM ${source(path)} ` +
          `WHERE ${c} IS NOT NULL GROUP BY ${c} ORDER BY n DESC, value LIMIT ${topK})`,
      )
    })
    if (topSql.length > 0) {
      for (const p of profiles) if (p.kind === 'string' || p.kind === 'boolean') p.topValues = []
      // wrapped: DuckDB cannot parse ORDER BY after a lone parenthesised SELECT (one text column)
      const rows = await db.rows(`SELECT * FROM (${topSql.join(' UNION ALL ')}) ORDER BY col, n DESC, value`)
      for (const row of rows) {
        const profile = profiles[Number(row.col)]
        profile?.topValues?.push({ value: JSON.parse(String(row.value)) as JsonValue, count: Number(row.n) })
      }
    }

    return { rowCount, columns: profiles }
  })
}

/** A numeric column as an expression whose non-finite values (NaN, ±Infinity) are NULL. */
function numericExpr(column: string, type: string): string {
  const t = type.toUpperCase()
  if (t === 'FLOAT' || t === 'DOUBLE' || t === 'REAL') return `CASE WHEN isfinite(${column}) THEN ${column} END`
  return column
}

function toNumber(value: JsonValue | undefined): number | null {
  if (value === null || value === undefined) return null
  const n = Number(value)
  return Number.isNaN(n) ? null : n
}

function finiteOrNull(value: JsonValue | undefined): number | null {
  const n = toNumber(value)
  return n !== null && Number.isFinite(n) ? n : null
}

function scalar(value: JsonValue | undefined): number | string | boolean | null {
  if (value === undefined || value === null) return null
  if (typeof value === 'number' || typeof value === 'string' || typeof value === 'boolean') return value
  return null
}
