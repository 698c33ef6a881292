import { z } from 'zod'
import { isArtifactId } from '@/server/artifacts/store'
import { NotFoundError } from '@/server/pipelines/pipelines'

const uuid = z.uuid()

/** A malformed id names nothing that exists: 404, and it never reaches a query. */
export function requireUuid(value: string, what: string): string {
  if (!uuid.safeParse(value).success) throw new NotFoundError(`No ${what} with id ${JSON.stringify(value.slice(0, 80))}.`)
  return value
}

export function requireArtifactId(value: string): string {
  if (!isArtifactId(value)) {
    throw new NotFoundError(`No artifact with id ${JSON.stringify(value.slice(0, 80))}: artifact ids are sha256 hashes (64 hex characters).`)
  }
  return value
}
