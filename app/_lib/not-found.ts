import 'server-only'
import { notFound } from 'next/navigation'
import { NotFoundError } from '@/server/errors'

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

/** A route segment that must be a uuid: anything else is a 404, not a database error. */
export function requireUuidParam(value: string): string {
  if (!uuidPattern.test(value)) notFound()
  return value
}

/** Awaits `promise`; the server's NotFoundError becomes Next's 404 page. */
export async function orNotFound<T>(promise: Promise<T>): Promise<T> {
  try {
    return await promise
  } catch (error) {
    if (error instanceof NotFoundError) notFound()
    throw error
  }
}
