import { asc, eq, inArray } from 'drizzle-orm'
import type { Db } from '@/db'
import { useCases } from '@/db/schema'
import { useCasesFromCsv, useCasesToCsv, type CsvError } from './csv'
import { useCaseFields, type UseCaseFields } from './model'
import { recordHistory, type Tx } from './rows'
import { changedFields } from './use-cases'

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

async function unknownIds(db: Db, ids: string[]): Promise<Set<string>> {
  if (ids.length === 0) return new Set()
  const found = await db.select({ id: useCases.id }).from(useCases).where(inArray(useCases.id, ids))
  const known = new Set(found.map((r) => r.id))
  return new Set(ids.filter((id) => !known.has(id)))
}

/** Only the columns the file has change: a CSV of titles and severities leaves the costs alone. */
async function updateFromRow(tx: Tx, id: string, fields: UseCaseFields, columns: (keyof UseCaseFields)[], actorId?: string): Promise<boolean> {
  const [row] = await tx.select({ fields: useCases.fields }).from(useCases).where(eq(useCases.id, id))
  const before = useCaseFields.parse(row!.fields)
  const after = useCaseFields.parse({ ...before, ...Object.fromEntries(columns.map((key) => [key, fields[key]])) })
  const changed = changedFields(before, after)
  if (Object.keys(changed).length === 0) return false
  await tx.update(useCases).set({ title: after.title, status: after.status, fields: after, updatedAt: new Date() }).where(eq(useCases.id, id))
  await recordHistory(tx, id, actorId, `Changed ${Object.keys(changed).join(', ')} (CSV import)`, changed)
  return true
}

/**
 * Imports a CSV in one transaction: rows whose `id` names a use case update it, the others are
 * created. Any problem in any row (bad value, unknown id) and nothing is imported.
 */
export async function importUseCasesCsv(db: Db, text: string, actorId?: string): Promise<{ created: number; updated: number; unchanged: number }> {
  const parsed = useCasesFromCsv(text)
  if (!parsed.ok) throw new CsvImportError(parsed.errors)
  const unknown = await unknownIds(db, parsed.ids.filter((id): id is string => id !== null))
  const idErrors = parsed.ids.flatMap((id, i) => (id && unknown.has(id) ? [{ row: parsed.rowNumbers[i]!, field: 'id', message: `no use case with id ${id}; leave it empty to create one` }] : []))
  if (idErrors.length > 0) throw new CsvImportError(idErrors)
  return db.transaction(async (tx) => {
    let created = 0
    let updated = 0
    let unchanged = 0
    for (const [i, fields] of parsed.rows.entries()) {
      const id = parsed.ids[i]
      if (id) {
        if (await updateFromRow(tx, id, fields, parsed.columns, actorId)) updated++
        else unchanged++
        continue
      }
      const [row] = await tx.insert(useCases).values({ title: fields.title, status: fields.status, fields, createdBy: actorId }).returning({ id: useCases.id })
      await recordHistory(tx, row!.id, actorId, 'Created (CSV import)')
      created++
    }
    return { created, updated, unchanged }
  })
}
