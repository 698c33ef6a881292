import { tempDir } from '../harness/backends'

// the routes read their configuration from the environment, as in production
process.env.PIPEWRIGHT_DATA_DIR = tempDir('viewer')
process.env.LOG_LEVEL = 'silent'
delete process.env.DATABASE_URL
delete process.env.REDIS_URL

const { viewerSuite } = await import('./viewer.suite')
viewerSuite('PGlite')
