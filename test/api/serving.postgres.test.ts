import { freshPostgresDatabase, tempDir } from '../harness/backends'

// fails with how to start PostgreSQL when it is down: never skipped
const database = await freshPostgresDatabase()
process.env.DATABASE_URL = database.url
process.env.PIPEWRIGHT_DATA_DIR = tempDir('serving-pg')
process.env.LOG_LEVEL = 'silent'
delete process.env.REDIS_URL

const { servingApiSuite } = await import('./serving.suite')
servingApiSuite('PostgreSQL', database.drop)
