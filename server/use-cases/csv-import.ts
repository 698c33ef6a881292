import { asc, inArray } from 'drizzle-orm'
import type { Db } from '@/db'
import { useCaseHistory, useCases } from '@/db/schema'
import { useCasesFromCsv, useCasesToCsv, type CsvError } from './csv'
import { useCaseFields, type UseCaseFields } from './model'
import { writeFields, type Tx } from './rows'

/** Rows per insert statement: well under PostgreSQL's 65,535 bind parameters. */
const insertBatch = 1000

/** A CSV with problems: nothing was imported; every problem names its row and field. */
export class CsvImportError extends Error {
  override name = 'CsvImportError'
  constructor(readonly errors: CsvError[]) {
    super(`${errors.length} problem(s) in the CSV; nothing was imported`)
  }
}

/** Every use case, by title, with its id so that an edited export updates rather than duplicates. */
export async function exportUseCasesCsv(db: Db): Promise<string> {
  const rows = await db.select({ id: useCases.id, fields: useCases.fields }).from(useCases).orderBy(asc(useCases.title))
  return useCasesToCsv(
    rows.map((r) => useCaseFields.parse(r.fields)),
    rows.map((r) => r.id),
  )
}

/** The current fields of the use cases the file names, read in one query. */
async function currentFields(db: Db, ids: string[]): Promise<Map<string, UseCaseFields>> {
  if (ids.length === 0) return new Map()
  const found = await db.select({ id: useCases.id, fields: useCases.fields }).from(useCases).where(inArray(useCases.id, ids))
  return new Map(found.map((r) => [r.id, useCaseFields.parse(r.fields)]))
}

/** An id must name a use case, and name it once: two rows updating the same one would race. */
function idProblems(ids: (string | null)[], rowNumbers: number[], existing: Map<string, unknown>): CsvError[] {
  const firstRow = new Map<string, number>()
  return ids.flatMap((id, i) => {
    if (!id) return []
    const row = rowNumbers[i]!
    if (!existing.has(id)) return [{ row, field: 'id', message: `no use case with id ${id}; leave it empty to create one` }]
    const earlier = firstRow.get(id)
    if (earlier !== undefined) return [{ row, field: 'id', message: `the same use case as row ${earlier}` }]
    firstRow.set(id, row)
    return []
  })
}

/** Only the columns the file has change: a CSV of titles and severities leaves the costs alone. */
function onlyColumns(before: UseCaseFields, fields: UseCaseFields, columns: (keyof UseCaseFields)[]): UseCaseFields {
  return useCaseFields.parse({ ...before, ...Object.fromEntries(columns.map((key) => [key, fields[key]])) })
}

/**
 * Imports a CSV in one transaction: rows whose `id` names a use case update it, the others are
 * created. Any problem in any row (bad value, unknown id) and nothing is imported.
 */
export async function importUseCasesCsv(db: Db, text: string, actorId?: string): Promise<{ created: number; updated: number; unchanged: number }> {
  const parsed = useCasesFromCsv(text)
  if (!parsed.ok) throw new CsvImportError(parsed.errors)
  const existing = await currentFields(db, parsed.ids.filter((id): id is string => id !== null))
  const idErrors = idProblems(parsed.ids, parsed.rowNumbers, existing)
  if (idErrors.length > 0) throw new CsvImportError(idErrors)
  return db.transaction(async (tx) => {
    let updated = 0
    let unchanged = 0
    const toCreate: UseCaseFields[] = []
    for (const [i, fields] of parsed.rows.entries()) {
      const id = parsed.ids[i]
      if (!id) {
        toCreate.push(fields)
        continue
      }
      const before = existing.get(id)!
      if (await writeFields(tx, id, before, onlyColumns(before, fields, parsed.columns), actorId, ' (CSV import)')) updated++
      else unchanged++
    }
    await createAll(tx, toCreate, actorId)
    return { created: toCreate.length, updated, unchanged }
  })
}

/** One insert for all new rows and one for their history: a 1,000-row sheet is two statements. */
async function createAll(tx: Tx, rows: UseCaseFields[], actorId?: string): Promise<void> {
  for (let start = 0; start < rows.length; start += insertBatch) {
    const batch = rows.slice(start, start + insertBatch)
    const created = await tx
      .insert(useCases)
      .values(batch.map((fields) => ({ title: fields.title, status: fields.status, fields, createdBy: actorId })))
      .returning({ id: useCases.id })
    await tx.insert(useCaseHistory).values(created.map(({ id }) => ({ useCaseId: id, actorId, summary: 'Created (CSV import)' })))
  }
}
