import { integer, jsonb, pgTable, text, timestamp, uuid, index } from 'drizzle-orm/pg-core'

export const roles = ['admin', 'engineer', 'operator', 'pm'] as const
export type Role = (typeof roles)[number]

export const users = pgTable('users', {
  id: uuid('id').primaryKey().defaultRandom(),
  email: text('email').notNull().unique(),
  name: text('name').notNull(),
  role: text('role', { enum: roles }).notNull(),
  /** scrypt, as `scrypt$N$r$p$salt$hash` */
  passwordHash: text('password_hash').notNull(),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
})

export const sessions = pgTable(
  'sessions',
  {
    /** sha256 of the cookie's secret: a stolen table row is not a session */
    id: text('id').primaryKey(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    /** absolute end, however active the session is */
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    /** last request seen; a session idle for longer than the idle timeout has ended */
    lastSeenAt: timestamp('last_seen_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('sessions_user_idx').on(t.userId)],
)

export const apiTokens = pgTable(
  'api_tokens',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    /** sha256 of the token; the token itself is shown once */
    tokenHash: text('token_hash').notNull().unique(),
    /** the first characters, so people can tell tokens apart */
    prefix: text('prefix').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    lastUsedAt: timestamp('last_used_at', { withTimezone: true }),
    /** chosen at creation; null: never expires */
    expiresAt: timestamp('expires_at', { withTimezone: true }),
    /** `full`: acts as its user; `infer`: may only call the inference endpoints of `deployments` */
    scope: text('scope', { enum: ['full', 'infer'] }).notNull().default('full'),
    deployments: jsonb('deployments').$type<string[]>(),
    /** requests per second an infer token may make; null: the server's default */
    ratePerSecond: integer('rate_per_second'),
  },
  (t) => [index('api_tokens_user_idx').on(t.userId)],
)
