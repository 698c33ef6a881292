import { freshPostgresDatabase, tempDir } from '../harness/backends'

// fails with how to start PostgreSQL when it is down: never skipped
const database = await freshPostgresDatabase()
process.env.DATABASE_URL = database.url
process.env.PIPEWRIGHT_DATA_DIR = tempDir('audit-pg')
process.env.LOG_LEVEL = 'silent'
process.env.PIPEWRIGHT_ROLE = 'web'
delete process.env.REDIS_URL

const { auditSuite } = await import('./audit.suite')
auditSuite('PostgreSQL', database.drop)
