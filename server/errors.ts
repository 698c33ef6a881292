/**
 * Errors any server module may throw and every boundary (REST, tRPC, pages) maps the same way:
 * NotFoundError → 404, ConflictError → 409. Matched by name, not class, since Next bundles a
 * module once per route.
 */
export class NotFoundError extends Error {
  override name = 'NotFoundError'
}

export class ConflictError extends Error {
  override name = 'ConflictError'
}
