import { tempDir } from '../harness/backends'

process.env.PIPEWRIGHT_DATA_DIR = tempDir('audit')
process.env.LOG_LEVEL = 'silent'
// no in-process worker: runs stay queued, so starting, canceling and retrying them is all this suite sees
process.env.PIPEWRIGHT_ROLE = 'web'
delete process.env.DATABASE_URL
delete process.env.REDIS_URL

const { auditSuite } = await import('./audit.suite')
auditSuite('PGlite')
