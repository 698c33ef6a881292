import { tempDir } from '../harness/backends'

process.env.PIPEWRIGHT_DATA_DIR = tempDir('use-cases')
process.env.LOG_LEVEL = 'silent'
delete process.env.DATABASE_URL
delete process.env.REDIS_URL

const { useCaseApiSuite } = await import('./use-cases.suite')
useCaseApiSuite('PGlite')
