import { tempDir } from '../harness/backends'

process.env.PIPEWRIGHT_DATA_DIR = tempDir('models')
process.env.LOG_LEVEL = 'silent'
delete process.env.DATABASE_URL
delete process.env.REDIS_URL

const { modelsApiSuite } = await import('./models.suite')
modelsApiSuite('PGlite')
