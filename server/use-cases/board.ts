import { eq } from 'drizzle-orm'
import type { Db } from '@/db'
import { useCaseBoards } from '@/db/schema'
import { boardSettings, boardSettingsPatch, type BoardSettings } from './model'

/** One board per installation for now; the id leaves room for more. */
const boardId = 'default'

/** The board's scoring settings, the defaults until a PM changes them. */
export async function loadBoardSettings(db: Db): Promise<BoardSettings> {
  const [row] = await db.select({ settings: useCaseBoards.settings }).from(useCaseBoards).where(eq(useCaseBoards.id, boardId))
  return boardSettings.parse(row?.settings ?? {})
}

/** Changes any subset of the settings (400 names the field that is wrong); answers the whole settings. */
export async function updateBoardSettings(db: Db, patch: unknown, actorId?: string): Promise<BoardSettings> {
  const changes = boardSettingsPatch.parse(patch)
  const settings = boardSettings.parse({ ...(await loadBoardSettings(db)), ...changes })
  await db
    .insert(useCaseBoards)
    .values({ id: boardId, settings, updatedBy: actorId })
    .onConflictDoUpdate({ target: useCaseBoards.id, set: { settings, updatedBy: actorId, updatedAt: new Date() } })
  return settings
}
