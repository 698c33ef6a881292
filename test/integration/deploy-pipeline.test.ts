// The deploy node's suite (deploy-pipeline.suite.ts) on PGlite with one in-process worker slot.
import { tempDir } from '../harness/backends'

process.env.PIPEWRIGHT_DATA_DIR = tempDir('deploy-node')
process.env.LOG_LEVEL = 'silent'
// the sweep that expires approvals comes by every second, not every five
process.env.PIPEWRIGHT_RECONCILE_INTERVAL_MS = '1000'
delete process.env.DATABASE_URL
delete process.env.REDIS_URL

const services = await import('@/server/services')
const { startRunningSteps } = await import('@/server/runner/step-runner')
const { deployPipelineSuite } = await import('./deploy-pipeline.suite')
const started = new WeakSet<object>()

/** The app's services with one in-process worker: a waiting step must not need a second. */
async function current() {
  const opened = await services.getServices()
  if (!started.has(opened)) {
    started.add(opened)
    await startRunningSteps(opened, 1)
  }
  return opened
}

deployPipelineSuite(async () => ({
  services: current,
  restart: async (down) => {
    await services.closeServices(await current())
    delete (globalThis as { __pipewrightServices?: unknown }).__pipewrightServices
    await down?.()
    await current()
  },
  close: async () => services.closeServices(await current()),
}))
