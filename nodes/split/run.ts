import { join } from 'node:path'
import type { Executor } from '../contract'
import { quoteLiteral, withDuckDB } from '../_lib/duckdb'
import { describeParquet } from '../_lib/parquet'
import { assertColumns, planSplit, sideNumber, sideSql, type SplitPlan } from './compile'
import { split, splitSides, type SplitReport } from './definition'
import { buildReport } from './report'

export const run: Executor<typeof split> = async (ctx) => {
  const { config, inputs, outputs, log, progress, signal } = ctx
  const input = inputs.dataset
  progress(0, 'Reading the schema')

  const { report, plan } = await withDuckDB(
    async (db) => {
      const { schema, rowCount } = await describeParquet(input.path, db)
      assertColumns(config, schema)
      const plan = planSplit({ path: input.path, rowCount, schema, config })
      progress(0.1, 'Assigning rows to sides')
      await db.exec(plan.sql)

      for (const [i, side] of splitSides.entries()) {
        progress(0.3 + 0.2 * i, `Writing ${side}`)
        // the positional scan keeps the input's order, so the same input and seed give the same bytes
        await db.exec(`COPY (${sideSql(input.path, sideNumber[side])}) TO ${quoteLiteral(outputs.datasetPath(side))} (FORMAT parquet)`)
      }
      progress(0.9, 'Counting')
      return { report: await buildReport(db, plan, config, rowCount), plan }
    },
    { signal, tempDirectory: join(ctx.workDir, 'duckdb-tmp') },
  )

  await outputs.report('report', report)
  for (const line of summary(report, plan)) log(line.level, line.message)
  progress(1, 'Done')
}

function summary(report: SplitReport, plan: SplitPlan): { level: 'info' | 'warn'; message: string }[] {
  const how =
    plan.method === 'random' ? 'at random' : plan.method === 'stratified' ? `stratified by "${plan.column}"` : plan.method === 'grouped' ? `grouped by "${plan.column}"` : `by time ("${plan.column}")`
  const lines: { level: 'info' | 'warn'; message: string }[] = [
    {
      level: 'info',
      message: `Split ${report.totalRows} rows ${how}: ${splitSides.map((side) => `${report.sides[side].rows} ${side}`).join(', ')} (seed ${report.seed})`,
    },
  ]
  for (const side of splitSides) {
    if (report.ratios[side] > 0 && report.sides[side].rows === 0 && report.totalRows > 0) {
      lines.push({
        level: 'warn',
        message:
          `The ${side} side is empty although its ratio is ${report.ratios[side]}` +
          (plan.method === 'grouped' ? ': the groups are too large to fill it (use more, smaller groups or another seed).' : '.'),
      })
    }
  }
  if (report.time && report.time.nullRows > 0) {
    lines.push({ level: 'warn', message: `${report.time.nullRows} rows have no "${report.time.column}"; they went to train.` })
  }
  return lines
}
