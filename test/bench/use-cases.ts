// The use-case board at scale: importing a 1,000-row spreadsheet and ranking the board it makes,
// each beside the bare database work underneath, on PGlite and on PostgreSQL in the same run.
import { performance } from 'node:perf_hooks'
import { useCases } from '@/db/schema'
import type { Services } from '@/server/services'
import { useCasesToCsv } from '@/server/use-cases/csv'
import { importUseCasesCsv } from '@/server/use-cases/csv-import'
import { useCaseFields, useCaseStatuses, type UseCaseFields } from '@/server/use-cases/model'
import { rankedUseCases } from '@/server/use-cases/use-cases'
import type { Backend } from '../harness/backends'

export const boardRows = 1000

/** Varied, plausible rows: every field filled, odd titles included. */
function generatedUseCases(count: number, offset = 0): UseCaseFields[] {
  return Array.from({ length: count }, (_, k) => {
    const i = k + offset
    return useCaseFields.parse({
      title: `Use case ${i}: "scrap, rework" [line ${i % 17}]`,
      problem: `Problem statement ${i}, with a comma and\na second line.`,
      businessOwner: `Owner ${i % 23}`,
      affectedProcess: `Process ${i % 11}`,
      dataAvailability: ['none', 'scarce', 'dispersed', 'ready'][i % 4],
      severity: (i % 10) + 1,
      devCost: 1_000 + ((i * 7919) % 500_000),
      prodCostMonthly: (i * 31) % 5_000,
      maintenanceCostYearly: (i * 97) % 40_000,
      confidence: (i * 13) % 101,
      status: useCaseStatuses[i % useCaseStatuses.length],
      reach: (i * 101) % 10_000,
      impact: [3, 2, 1, 0.5, 0.25][i % 5],
      effort: (i % 12) + 1,
    })
  })
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.floor(sorted.length / 2)]!
}

async function timed(work: () => Promise<unknown>): Promise<number> {
  const start = performance.now()
  await work()
  return performance.now() - start
}

export interface BoardFigures {
  importMs: number
  bareInsertMs: number
  rankMs: number
  bareSelectMs: number
}

/** Medians of three: the import and a plain multi-row insert of the same rows, then ranking and a plain select. */
export async function measureBoard({ services }: Backend): Promise<BoardFigures> {
  const imports: number[] = []
  const inserts: number[] = []
  for (let round = 0; round < 3; round++) {
    const rows = generatedUseCases(boardRows, round * boardRows)
    const csv = useCasesToCsv(rows)
    imports.push(await timed(() => importUseCasesCsv(services.db, csv)))
    inserts.push(await timed(() => bareInsert(services, rows)))
  }
  const ranks: number[] = []
  const selects: number[] = []
  for (let round = 0; round < 4; round++) {
    const rank = await timed(() => rankedUseCases(services.db, 'quick-win'))
    const select = await timed(() => services.db.select().from(useCases))
    // the first round warms caches and JIT
    if (round > 0) ranks.push(rank)
    if (round > 0) selects.push(select)
  }
  return { importMs: median(imports), bareInsertMs: median(inserts), rankMs: median(ranks), bareSelectMs: median(selects) }
}

async function bareInsert(services: Services, rows: UseCaseFields[]): Promise<void> {
  await services.db.insert(useCases).values(rows.map((fields) => ({ title: fields.title, status: fields.status, fields })))
}

export function boardTable(figures: { name: string; board: BoardFigures }[]): string {
  const ms = (n: number) => `${n.toFixed(0)} ms`
  const lines = [
    `use-case board: import a ${boardRows.toLocaleString('en')}-row CSV, then rank the board (medians of 3)`,
    '| backend | CSV import (parse, validate, insert, history) | reference: bare insert of the same rows | ranking the board (6,011 use cases) | reference: bare select of the rows | targets |',
    '|---|---|---|---|---|---|',
    ...figures.map(({ name, board }) => `| ${name} | ${ms(board.importMs)} | ${ms(board.bareInsertMs)} | ${ms(board.rankMs)} | ${ms(board.bareSelectMs)} | import ≤ 2 s, ranking ≤ 500 ms |`),
  ]
  return lines.join('\n')
}
