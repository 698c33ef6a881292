/**
 * A consumer in its own process, for the restart tests: it takes requests, says so on stdout,
 * and answers only after a long wait, so the test can kill it (SIGKILL: no goodbye to the broker)
 * while it holds them. Usage: tsx test-consumer-process.ts '<config json>' <delay ms>
 */
import pino from 'pino'
import { startConsumer } from './index'
import { sleep } from './shared'

async function main(): Promise<void> {
  const [configJson, delayText] = process.argv.slice(2)
  const delayMs = Number(delayText ?? '60000')
  const config: unknown = JSON.parse(configJson ?? '{}')
  const log = pino({ level: 'warn' }, pino.destination(2))
  await startConsumer(
    config as Parameters<typeof startConsumer>[0],
    async (body, meta) => {
      process.stdout.write(`taken ${meta.messageId ?? '(none)'}\n`)
      await sleep(delayMs)
      return { echo: body, by: 'slow' }
    },
    log,
  )
  process.stdout.write('ready\n')
}

main().catch((error: unknown) => {
  process.stderr.write(`${String(error)}\n`)
  process.exit(1)
})
