import { tempDir } from '../harness/backends'

process.env.PIPEWRIGHT_DATA_DIR = tempDir('rerun')
process.env.LOG_LEVEL = 'silent'
delete process.env.DATABASE_URL
delete process.env.REDIS_URL

const { rerunApiSuite } = await import('./rerun.suite')
rerunApiSuite('PGlite')
