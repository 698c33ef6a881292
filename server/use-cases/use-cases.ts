import { asc, desc, eq, inArray } from 'drizzle-orm'
import type { Db } from '@/db'
import { useCaseHistory, useCaseRatings, useCases, users } from '@/db/schema'
import { NotFoundError } from '@/server/errors'
import { loadBoardSettings } from './board'
import { linkedPipelines, useCasesWithDeployments } from './links'
import { findRow, recordHistory, writeFields, type UseCaseRow } from './rows'
import { liftedStatus, ratingInput, severityOverride, useCaseFields, useCasePatch, type BoardSettings, type RankingStrategy, type UseCaseFields } from './model'
import { rankScored, scoreUseCase, summarizeRatings, type ScoringInput } from './scoring'

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

function scoringInput(row: UseCaseRow, severities: number[], deployed: boolean): ScoringInput & UseCaseFields {
  const fields = useCaseFields.parse(row.fields)
  return { ...fields, status: liftedStatus(fields.status, deployed), id: row.id, severityOverride: row.severityOverride, ratings: summarizeRatings(severities) }
}

/** A use case as the API shows it: its fields, ratings' summary, the score and how it was computed. */
function view(row: UseCaseRow, severities: number[], settings: BoardSettings, deployed: boolean) {
  const input = scoringInput(row, severities, deployed)
  return {
    ...input,
    severityOverride: row.severityOverride === null ? null : { severity: row.severityOverride, reason: row.severityOverrideReason },
    score: scoreUseCase(input, settings),
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  }
}
export type UseCaseView = ReturnType<typeof view>

export async function listUseCases(db: Db, settings?: BoardSettings): Promise<UseCaseView[]> {
  settings ??= await loadBoardSettings(db)
  const rows = await db.select().from(useCases).orderBy(asc(useCases.title))
  const [ratings, deployed] = await Promise.all([ratingsByUseCase(db, rows.map((r) => r.id)), useCasesWithDeployments(db)])
  return rows.map((row) => view(row, ratings.get(row.id) ?? [], settings, deployed.has(row.id)))
}

export async function getUseCase(db: Db, id: string) {
  const row = await findRow(db, id)
  const [settings, ratings, history, linked, deployed] = await Promise.all([
    loadBoardSettings(db),
    db.select().from(useCaseRatings).where(eq(useCaseRatings.useCaseId, id)).orderBy(asc(useCaseRatings.createdAt)),
    db
      .select({ at: useCaseHistory.at, summary: useCaseHistory.summary, changes: useCaseHistory.changes, actorName: users.name })
      .from(useCaseHistory)
      .leftJoin(users, eq(users.id, useCaseHistory.actorId))
      .where(eq(useCaseHistory.useCaseId, id))
      .orderBy(desc(useCaseHistory.id)),
    linkedPipelines(db, id),
    useCasesWithDeployments(db, [id]),
  ])
  return {
    ...view(row, ratings.map((r) => r.severity), settings, deployed.has(id)),
    ratingList: ratings.map((r) => ({ raterName: r.raterName, viaLink: r.inviteId !== null, severity: r.severity, comment: r.comment, at: r.createdAt })),
    history,
    pipelines: linked,
  }
}

/** Validates with `useCaseFields` (a ZodError names the field: 400). */
export async function createUseCase(db: Db, input: unknown, actorId?: string): Promise<{ id: string }> {
  const fields = useCaseFields.parse(input)
  return db.transaction(async (tx) => {
    const [row] = await tx.insert(useCases).values({ title: fields.title, status: fields.status, fields, createdBy: actorId }).returning()
    await recordHistory(tx, row!.id, actorId, 'Created')
    return { id: row!.id }
  })
}

/** Applies a patch (any subset of the fields) and records what changed, field by field. */
export async function updateUseCase(db: Db, id: string, patch: unknown, actorId?: string): Promise<UseCaseView> {
  const changes = useCasePatch.parse(patch)
  const row = await findRow(db, id)
  const before = useCaseFields.parse(row.fields)
  const after = useCaseFields.parse({ ...before, ...changes })
  await db.transaction((tx) => writeFields(tx, id, before, after, actorId))
  return viewOne(db, id)
}

async function viewOne(db: Db, id: string): Promise<UseCaseView> {
  const [row, ratings, settings, deployed] = await Promise.all([findRow(db, id), ratingsByUseCase(db, [id]), loadBoardSettings(db), useCasesWithDeployments(db, [id])])
  return view(row, ratings.get(id) ?? [], settings, deployed.has(id))
}

/** The PM sets the severity that counts, over the ratings, with a reason; both are kept in the history. */
export async function overrideSeverity(db: Db, id: string, input: unknown, actorId?: string): Promise<UseCaseView> {
  const { severity, reason } = severityOverride.parse(input)
  const row = await findRow(db, id)
  await db.transaction(async (tx) => {
    await tx.update(useCases).set({ severityOverride: severity, severityOverrideReason: reason, updatedAt: new Date() }).where(eq(useCases.id, id))
    const changes = { severityOverride: { before: row.severityOverride, after: severity } }
    await recordHistory(tx, id, actorId, `Severity set to ${severity} by the PM: ${reason}`, changes)
  })
  return viewOne(db, id)
}

/** Back to the ratings' median (or the estimate); the earlier override stays in the history. */
export async function clearSeverityOverride(db: Db, id: string, actorId?: string): Promise<UseCaseView> {
  const row = await findRow(db, id)
  if (row.severityOverride !== null) {
    await db.transaction(async (tx) => {
      await tx.update(useCases).set({ severityOverride: null, severityOverrideReason: null, updatedAt: new Date() }).where(eq(useCases.id, id))
      await recordHistory(tx, id, actorId, 'Severity override removed', { severityOverride: { before: row.severityOverride, after: null } })
    })
  }
  return viewOne(db, id)
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

function rankItems(items: UseCaseView[], strategy: RankingStrategy) {
  const byId = new Map(items.map((item) => [item.id, item]))
  return rankScored(items, strategy).map((ranked) => ({
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

export async function rankedUseCases(db: Db, strategy: RankingStrategy) {
  const settings = await loadBoardSettings(db)
  return rankItems(await listUseCases(db, settings), strategy)
}

/** What the board page shows: the settings, every use case, and its rank under each strategy (one listing). */
export async function boardOverview(db: Db) {
  const settings = await loadBoardSettings(db)
  const items = await listUseCases(db, settings)
  const rankOf = (strategy: RankingStrategy) => new Map(rankItems(items, strategy).map((r) => [r.id, r.rank]))
  return { settings, items, ranks: { pain: rankOf('pain'), 'quick-win': rankOf('quick-win') } }
}
