import { freshPostgresDatabase, tempDir } from '../harness/backends'
import { authTestEnv } from './auth-security.env'

// fails with how to start PostgreSQL when it is down: never skipped
const database = await freshPostgresDatabase()
// this run also checks that links follow PIPEWRIGHT_PUBLIC_URL (a sub-path included)
const publicUrl = 'https://pipewright.example.org/ml/'
Object.assign(process.env, authTestEnv, { DATABASE_URL: database.url, PIPEWRIGHT_DATA_DIR: tempDir('auth-pg'), PIPEWRIGHT_PUBLIC_URL: publicUrl })
delete process.env.REDIS_URL

const { authSecuritySuite } = await import('./auth-security.suite')
authSecuritySuite('PostgreSQL', { publicUrl, cleanUp: database.drop })
