import fs from 'node:fs'
import path from 'node:path'
import { PGlite } from '@electric-sql/pglite'
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core'
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite'
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator'
import { drizzle as drizzlePostgres } from 'drizzle-orm/postgres-js'
import { migrate as migratePostgres } from 'drizzle-orm/postgres-js/migrator'
import postgres from 'postgres'
import * as schema from './schema'

export { schema }
export type Db = PgDatabase<PgQueryResultHKT, typeof schema>

export interface Database {
  db: Db
  kind: 'pglite' | 'postgres'
  close(): Promise<void>
}

const migrationsFolder = path.join(process.cwd(), 'db', 'migrations')

/** PostgreSQL at `url` when given, otherwise PGlite (embedded Postgres) in `dataDir/db`. Migrations applied. */
export async function openDatabase(options: { url?: string; dataDir: string }): Promise<Database> {
  if (options.url) return openPostgres(options.url)
  return openPglite(path.join(options.dataDir, 'db'))
}

async function openPostgres(url: string): Promise<Database> {
  const client = postgres(url, { max: 10, onnotice: () => {} })
  try {
    await client`select 1`
  } catch (error) {
    await client.end({ timeout: 1 })
    throw new Error(`Cannot reach PostgreSQL at DATABASE_URL (${redact(url)}): ${(error as Error).message}`)
  }
  const db = drizzlePostgres({ client, schema })
  await migratePostgres(db, { migrationsFolder })
  return { db: db as unknown as Db, kind: 'postgres', close: () => client.end({ timeout: 5 }) }
}

async function openPglite(dir: string): Promise<Database> {
  fs.mkdirSync(dir, { recursive: true })
  const client = await PGlite.create(dir)
  const db = drizzlePglite({ client, schema })
  await migratePglite(db, { migrationsFolder })
  return { db: db as unknown as Db, kind: 'pglite', close: () => client.close() }
}

function redact(url: string): string {
  return url.replace(/\/\/([^:@/]+):[^@/]+@/, '//$1:***@')
}
