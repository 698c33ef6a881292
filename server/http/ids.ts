import { z } from 'zod'
import { isArtifactId } from '@/server/artifacts/store'
import { slugName } from '@/server/compiler/pipeline-file'
import { NotFoundError } from '@/server/errors'
import { BadRequestError } from './errors'

/**
 * Ids from a path, checked before any query runs. A malformed id names nothing that exists, so
 * it is a 404 (undecodable escapes never get here: the proxy answers them with 400).
 */

const uuid = z.uuid()
/** PostgreSQL's integer: a larger version number would fail in the database, not "not exist" */
const maxInt4 = 2_147_483_647

function shown(value: string): string {
  return JSON.stringify(value.slice(0, 80))
}

export function requireUuid(value: string, what: string): string {
  if (!uuid.safeParse(value).success) throw new NotFoundError(`No ${what} with id ${shown(value)}.`)
  return value
}

export function requireArtifactId(value: string): string {
  if (!isArtifactId(value)) {
    throw new NotFoundError(`No artifact with id ${shown(value)}: artifact ids are sha256 hashes (64 hex characters).`)
  }
  return value
}

/** A version number in a path: 1, 2, 3 … as decimal digits, within what the database stores. */
export function requireVersionNumber(value: string): number {
  const number = /^[1-9][0-9]{0,9}$/.test(value) ? Number(value) : NaN
  if (!(number >= 1 && number <= maxInt4)) throw new NotFoundError(`No version ${shown(value)}: versions are whole numbers from 1.`)
  return number
}

/** The zod form of the same rule, for tRPC inputs and query strings. */
export const versionNumber = z.number().int().min(1).max(maxInt4)

/** A secret handed out in a link (`pw_rate_…`): 24 random bytes, base64url. Anything else names nothing. */
export function requireLinkToken(value: string, prefix: string): string {
  if (!new RegExp(`^${prefix}[A-Za-z0-9_-]{32}$`).test(value)) throw new NotFoundError('No such link: check that the whole link was copied.')
  return value
}

const slugRule = 'lower-case letters, digits and "-", starting with a letter or digit, at most 100 characters'

/** A registered model's name in a path that reads: a malformed one names no model, a 404. */
export function requireModelName(value: string): string {
  if (!slugName.safeParse(value).success) throw new NotFoundError(`No model named ${shown(value)}: model names are ${slugRule}.`)
  return value
}

/** A name a request creates (a model on its first import, an alias on its first move): a malformed one is the caller's 400. */
export function parseNewSlug(value: string, what: 'model name' | 'alias'): string {
  if (!slugName.safeParse(value).success) throw new BadRequestError(`The ${what} ${shown(value)} is not allowed: use ${slugRule}, e.g. "penguin-species".`)
  return value
}

/** A deployment's name in a path: the same slug rule as models; a malformed one names nothing, a 404. */
export function requireDeploymentName(value: string): string {
  if (!slugName.safeParse(value).success) throw new NotFoundError(`No deployment named ${shown(value)}: deployment names are ${slugRule}.`)
  return value
}
