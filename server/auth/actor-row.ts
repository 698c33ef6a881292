import type { users } from '@/db/schema'
import type { Actor } from './permissions'

export type { Actor }

/** What the rest of the server knows of a user row: never the password hash. */
export function toActor(user: typeof users.$inferSelect): Actor {
  return { id: user.id, email: user.email, name: user.name, role: user.role }
}
