import { tempDir } from '../harness/backends'
import { authTestEnv } from './auth-security.env'

Object.assign(process.env, authTestEnv, { PIPEWRIGHT_DATA_DIR: tempDir('auth') })
delete process.env.DATABASE_URL
delete process.env.REDIS_URL
delete process.env.PIPEWRIGHT_PUBLIC_URL

const { authSecuritySuite } = await import('./auth-security.suite')
authSecuritySuite('PGlite')
