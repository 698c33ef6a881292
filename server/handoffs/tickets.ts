// Opening a handoff (its one-time token, kept only as a hash) and checking a trainer's token.
// Wrong token: 401. Used, expired, or its step no longer waiting: 410, saying which.
import { and, desc, eq } from 'drizzle-orm'
import type { Db } from '@/db'
import { handoffs, steps } from '@/db/schema'
import type { HandoffRequest, HandoffTicket } from '@/nodes/contract'
import { AuthError } from '@/server/auth/permissions'
import { hashSecret, newSecret } from '@/server/auth/secrets'
import { ConflictError, NotFoundError } from '@/server/errors'
import { GoneError } from '@/server/use-cases/invites'
import { timingSafeEqual } from 'node:crypto'

export type HandoffRow = typeof handoffs.$inferSelect

const tokenPrefix = 'pw_handoff_'

/** Where trainers reach this installation: PIPEWRIGHT_PUBLIC_URL, else the local web server. */
export function handoffBaseUrl(publicUrl: string | undefined): string {
  return (publicUrl ?? `http://127.0.0.1:${process.env.PORT ?? 3000}`).replace(/\/+$/, '')
}

export async function openHandoff(db: Db, baseUrl: string, step: { id: string; runId: string }, request: HandoffRequest): Promise<HandoffTicket> {
  const token = newSecret(tokenPrefix)
  const expiresAt = new Date(Date.now() + request.timeoutMs)
  const [row] = await db
    .insert(handoffs)
    .values({ stepId: step.id, runId: step.runId, mode: request.mode, tokenHash: hashSecret(token), manifest: request.manifest, files: request.files, model: request.model, port: request.port, expiresAt })
    .returning({ id: handoffs.id })
  const bundleUrl = `${baseUrl}/api/v1/handoffs/${row!.id}`
  return { id: row!.id, token, bundleUrl, callbackUrl: `${bundleUrl}/model`, expiresAt: expiresAt.toISOString() }
}

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

async function findHandoff(db: Db, id: string): Promise<{ handoff: HandoffRow; stepStatus: string }> {
  if (!uuidPattern.test(id)) throw new NotFoundError('No such handoff: its id is a UUID, as the manifest and the callback URL give it.')
  const [row] = await db.select({ handoff: handoffs, stepStatus: steps.status }).from(handoffs).innerJoin(steps, eq(steps.id, handoffs.stepId)).where(eq(handoffs.id, id))
  if (!row) throw new NotFoundError(`No handoff ${id}.`)
  return row
}

function bearer(authorization: string | null): string | null {
  const match = /^Bearer\s+(\S+)$/i.exec(authorization ?? '')
  return match?.[1] ?? null
}

function sameHash(a: string, b: string): boolean {
  return a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b))
}

/** The handoff a trainer names, if its token is right and it still waits for a model. */
export async function authorizeHandoff(db: Db, id: string, authorization: string | null, now = new Date()): Promise<HandoffRow> {
  const { handoff, stepStatus } = await findHandoff(db, id)
  const token = bearer(authorization)
  if (!token) throw new AuthError(401, 'Send the handoff token as "Authorization: Bearer <token>"; the manifest came with it.')
  if (!sameHash(hashSecret(token), handoff.tokenHash)) throw new AuthError(401, 'This is not the token of this handoff.')
  if (handoff.usedAt) throw new GoneError(`This handoff's model already arrived (${handoff.usedAt.toISOString()}); each token works once.`)
  if (handoff.expiresAt <= now) throw new GoneError(`This handoff timed out at ${handoff.expiresAt.toISOString()}: the step failed, and no model is taken any more. Run the pipeline again.`)
  if (stepStatus !== 'waiting') throw new GoneError(`The step no longer waits for a model (it is ${stepStatus}); run the pipeline again.`)
  return handoff
}

/** The open handoff of a run's step, for a person uploading the model (signed in, not by token). */
export async function waitingHandoffOf(db: Db, runId: string, nodeId: string): Promise<HandoffRow> {
  const [row] = await db
    .select({ handoff: handoffs, status: steps.status })
    .from(steps)
    .leftJoin(handoffs, eq(handoffs.stepId, steps.id))
    .where(and(eq(steps.runId, runId), eq(steps.nodeId, nodeId)))
    .orderBy(desc(handoffs.createdAt))
    .limit(1)
  if (!row) throw new NotFoundError(`Run ${runId} has no step "${nodeId.slice(0, 100)}".`)
  if (!row.handoff) throw new ConflictError(`Step "${nodeId}" does not hand training off: it trains its model itself.`)
  if (row.status !== 'waiting') throw new GoneError(`Step "${nodeId}" no longer waits for a model (it is ${row.status}).`)
  if (row.handoff.expiresAt <= new Date()) throw new GoneError(`This handoff timed out at ${row.handoff.expiresAt.toISOString()}.`)
  return row.handoff
}
