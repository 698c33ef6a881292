import { createHash, randomBytes } from 'node:crypto'

/** A random secret with a readable prefix, e.g. `pw_tok_…` for API tokens. */
export function newSecret(prefix: string): string {
  return `${prefix}${randomBytes(24).toString('base64url')}`
}

/** Secrets are stored only as their sha256: a leaked table holds no usable token. */
export function hashSecret(secret: string): string {
  return createHash('sha256').update(secret).digest('hex')
}
