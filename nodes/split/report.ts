// Server-only: the split report, counted from the assign table (narrow, already in memory).
import type { DuckSession } from '../_lib/duckdb'
import { assignTable, sideNumber, type SplitPlan } from './compile'
import { labelLimit, splitSides, type SplitConfig, type SplitReport, type SplitSide } from './definition'

type PerSide<T> = Record<SplitSide, T>

const perSide = <T>(make: (side: SplitSide) => T): PerSide<T> =>
  Object.fromEntries(splitSides.map((side) => [side, make(side)])) as PerSide<T>

const countsBySide = splitSides.map((side) => `count(*) FILTER (WHERE side = ${sideNumber[side]}) AS ${side}`).join(', ')

export async function buildReport(db: DuckSession, plan: SplitPlan, config: SplitConfig, totalRows: number): Promise<SplitReport> {
  const sizes = (await db.one(`SELECT ${countsBySide} FROM ${assignTable}`)) ?? {}
  const rows = perSide((side) => Number(sizes[side] ?? 0))
  return {
    method: plan.method,
    seed: config.seed,
    ratios: { ...config.ratios },
    totalRows,
    sides: perSide((side) => ({ rows: rows[side], share: totalRows === 0 ? 0 : rows[side] / totalRows })),
    labels: plan.labelColumn === null ? null : await labelCounts(db, plan.labelColumn),
    groups: plan.method === 'grouped' && plan.column !== null ? await groupCounts(db, plan.column) : null,
    time: plan.method === 'time' && plan.column !== null ? await timeRanges(db, plan.column) : null,
  }
}

/** The most frequent labels first; equal counts in the labels' order, NULL last. Values as in dataset rows. */
async function labelCounts(db: DuckSession, column: string): Promise<NonNullable<SplitReport['labels']>> {
  const found = await db.rows(
    `SELECT label AS value, ${countsBySide}, count(*) AS n, count(*) OVER () AS labels ` +
      `FROM ${assignTable} GROUP BY label ORDER BY n DESC, label NULLS LAST LIMIT ${labelLimit}`,
  )
  const distinct = Number(found[0]?.labels ?? 0)
  return {
    column,
    distinct,
    truncated: distinct > found.length,
    counts: found.map((row) => ({
      value: row.value ?? null,
      ...perSide((side) => Number(row[side] ?? 0)),
    })),
  }
}

/** Groups per side; the rows without a group value are one group (as the split treated them). */
async function groupCounts(db: DuckSession, column: string): Promise<NonNullable<SplitReport['groups']>> {
  const found = await db.rows(
    `SELECT side, count(DISTINCT key) + max(CASE WHEN key IS NULL THEN 1 ELSE 0 END) AS groups FROM ${assignTable} GROUP BY side`,
  )
  const bySide = new Map(found.map((row) => [Number(row.side), Number(row.groups)]))
  return { column, ...perSide((side) => bySide.get(sideNumber[side]) ?? 0) }
}

async function timeRanges(db: DuckSession, column: string): Promise<NonNullable<SplitReport['time']>> {
  const found = await db.rows(
    `SELECT side, min(key) AS "from", max(key) AS "to", count(*) FILTER (WHERE key IS NULL) AS nulls ` +
      `FROM ${assignTable} GROUP BY side`,
  )
  const bySide = new Map(found.map((row) => [Number(row.side), row]))
  const nullRows = found.reduce((sum, row) => sum + Number(row.nulls ?? 0), 0)
  return {
    column,
    nullRows,
    ranges: perSide((side) => {
      const row = bySide.get(sideNumber[side])
      return row && row.from !== null ? { from: row.from ?? null, to: row.to ?? null } : null
    }),
  }
}
