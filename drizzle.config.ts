import { defineConfig } from 'drizzle-kit'

// Migrations are generated once and checked in; both PGlite and PostgreSQL apply the same files.
export default defineConfig({
  dialect: 'postgresql',
  schema: './db/schema/index.ts',
  out: './db/migrations',
})
