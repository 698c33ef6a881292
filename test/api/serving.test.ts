import { tempDir } from '../harness/backends'

process.env.PIPEWRIGHT_DATA_DIR = tempDir('serving')
process.env.LOG_LEVEL = 'silent'
delete process.env.DATABASE_URL
delete process.env.REDIS_URL

const { servingApiSuite } = await import('./serving.suite')
servingApiSuite('PGlite')
