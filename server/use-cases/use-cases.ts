import { asc, desc, eq, inArray } from 'drizzle-orm'
import type { Db } from '@/db'
import { pipelines, useCaseHistory, useCasePipelines, useCaseRatings, useCases, users } from '@/db/schema'
import { NotFoundError } from '@/server/pipelines/pipelines'
import { boardSettings, ratingInput, useCaseFields, useCasePatch, type BoardSettings, type RankingStrategy, type UseCaseFields } from './model'
import { rankUseCases, scoreUseCase, summarizeRatings, type ScoringInput } from './scoring'

/** The board has one settings record for now; until it is editable, every board scores with the defaults. */
export const defaultBoard: BoardSettings = boardSettings.parse({})

type UseCaseRow = typeof useCases.$inferSelect

async function findRow(db: Db, id: string): Promise<UseCaseRow> {
  const [row] = await db.select().from(useCases).where(eq(useCases.id, id))
  if (!row) throw new NotFoundError(`No use case with id ${id}.`)
  return row
}

async function ratingsByUseCase(db: Db, ids: string[]): Promise<Map<string, number[]>> {
  const byUseCase = new Map<string, number[]>()
  if (ids.length === 0) return byUseCase
  const rows = await db
    .select({ useCaseId: useCaseRatings.useCaseId, severity: useCaseRatings.severity })
    .from(useCaseRatings)
    .where(inArray(useCaseRatings.useCaseId, ids))
  for (const row of rows) byUseCase.set(row.useCaseId, [...(byUseCase.get(row.useCaseId) ?? []), row.severity])
  return byUseCase
}

function scoringInput(row: UseCaseRow, severities: number[]): ScoringInput & UseCaseFields {
  const fields = useCaseFields.parse(row.fields)
  return { ...fields, id: row.id, severityOverride: row.severityOverride, ratings: summarizeRatings(severities) }
}

/** A use case as the API shows it: its fields, ratings' summary, the score and how it was computed. */
function view(row: UseCaseRow, severities: number[], settings: BoardSettings) {
  const input = scoringInput(row, severities)
  return {
    ...input,
    severityOverride: row.severityOverride === null ? null : { severity: row.severityOverride, reason: row.severityOverrideReason },
    score: scoreUseCase(input, settings),
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  }
}
export type UseCaseView = ReturnType<typeof view>

export async function listUseCases(db: Db, settings = defaultBoard): Promise<UseCaseView[]> {
  const rows = await db.select().from(useCases).orderBy(asc(useCases.title))
  const ratings = await ratingsByUseCase(db, rows.map((r) => r.id))
  return rows.map((row) => view(row, ratings.get(row.id) ?? [], settings))
}

export async function getUseCase(db: Db, id: string, settings = defaultBoard) {
  const row = await findRow(db, id)
  const [ratings, history, linked] = await Promise.all([
    db.select().from(useCaseRatings).where(eq(useCaseRatings.useCaseId, id)).orderBy(asc(useCaseRatings.createdAt)),
    db
      .select({ at: useCaseHistory.at, summary: useCaseHistory.summary, changes: useCaseHistory.changes, actorName: users.name })
      .from(useCaseHistory)
      .leftJoin(users, eq(users.id, useCaseHistory.actorId))
      .where(eq(useCaseHistory.useCaseId, id))
      .orderBy(desc(useCaseHistory.id)),
    db
      .select({ id: pipelines.id, name: pipelines.name })
      .from(useCasePipelines)
      .innerJoin(pipelines, eq(pipelines.id, useCasePipelines.pipelineId))
      .where(eq(useCasePipelines.useCaseId, id)),
  ])
  return {
    ...view(row, ratings.map((r) => r.severity), settings),
    ratingList: ratings.map((r) => ({ raterName: r.raterName, severity: r.severity, comment: r.comment, at: r.createdAt })),
    history,
    pipelines: linked,
  }
}

/** Validates with `useCaseFields` (a ZodError names the field: 400). */
export async function createUseCase(db: Db, input: unknown, actorId?: string): Promise<{ id: string }> {
  const fields = useCaseFields.parse(input)
  return db.transaction(async (tx) => {
    const [row] = await tx.insert(useCases).values({ title: fields.title, status: fields.status, fields, createdBy: actorId }).returning()
    await tx.insert(useCaseHistory).values({ useCaseId: row!.id, actorId, summary: 'Created' })
    return { id: row!.id }
  })
}

function changedFields(before: UseCaseFields, after: UseCaseFields): Record<string, { before: unknown; after: unknown }> {
  const changes: Record<string, { before: unknown; after: unknown }> = {}
  for (const key of Object.keys(after) as (keyof UseCaseFields)[]) {
    if (JSON.stringify(before[key]) !== JSON.stringify(after[key])) changes[key] = { before: before[key], after: after[key] }
  }
  return changes
}

/** Applies a patch (any subset of the fields) and records what changed, field by field. */
export async function updateUseCase(db: Db, id: string, patch: unknown, actorId?: string): Promise<UseCaseView> {
  const changes = useCasePatch.parse(patch)
  const row = await findRow(db, id)
  const before = useCaseFields.parse(row.fields)
  const after = useCaseFields.parse({ ...before, ...changes })
  const changed = changedFields(before, after)
  if (Object.keys(changed).length > 0) {
    await db.transaction(async (tx) => {
      await tx.update(useCases).set({ title: after.title, status: after.status, fields: after, updatedAt: new Date() }).where(eq(useCases.id, id))
      await tx.insert(useCaseHistory).values({ useCaseId: id, actorId, summary: `Changed ${Object.keys(changed).join(', ')}`, changes: changed })
    })
  }
  const ratings = await ratingsByUseCase(db, [id])
  return view(await findRow(db, id), ratings.get(id) ?? [], defaultBoard)
}

export async function deleteUseCase(db: Db, id: string): Promise<void> {
  const deleted = await db.delete(useCases).where(eq(useCases.id, id)).returning({ id: useCases.id })
  if (deleted.length === 0) throw new NotFoundError(`No use case with id ${id}.`)
}

/** A signed-in user's rating of severity; rating again replaces their earlier one. */
export async function rateUseCase(db: Db, id: string, input: unknown, rater: { id: string; name: string }) {
  const rating = ratingInput.parse(input)
  await findRow(db, id)
  await db
    .insert(useCaseRatings)
    .values({ useCaseId: id, raterId: rater.id, raterName: rater.name, severity: rating.severity, comment: rating.comment })
    .onConflictDoUpdate({
      target: [useCaseRatings.useCaseId, useCaseRatings.raterId],
      set: { severity: rating.severity, comment: rating.comment, createdAt: new Date() },
    })
  const ratings = await ratingsByUseCase(db, [id])
  return summarizeRatings(ratings.get(id) ?? [])
}

export async function rankedUseCases(db: Db, strategy: RankingStrategy, settings = defaultBoard) {
  const items = await listUseCases(db, settings)
  const byId = new Map(items.map((item) => [item.id, item]))
  const inputs = items.map((item) => ({ ...item, severityOverride: item.severityOverride?.severity ?? null }))
  return rankUseCases(inputs, strategy, settings).map((ranked) => ({
    rank: ranked.rank,
    id: ranked.id,
    title: ranked.title,
    status: byId.get(ranked.id)!.status,
    severity: ranked.score.severity,
    severitySource: ranked.score.severitySource,
    tco: ranked.score.tco,
    score: ranked.score.value,
    explain: ranked.score.explain,
  }))
}
