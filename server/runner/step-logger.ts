import type { Db } from '@/db'
import { stepLogs } from '@/db/schema'
import type { LogLevel } from '@/nodes/contract'
import { logger } from '@/server/logger'

type Entry = typeof stepLogs.$inferInsert

/** Batches a step's log lines into the database: executors may log in tight loops. */
export class StepLogger {
  private buffer: Entry[] = []
  private timer: NodeJS.Timeout | undefined
  private flushing: Promise<void> = Promise.resolve()

  constructor(
    private readonly db: Db,
    private readonly runId: string,
    private readonly stepId: string,
  ) {}

  log(level: LogLevel, message: string): void {
    this.buffer.push({ runId: this.runId, stepId: this.stepId, level, message: message.slice(0, 10_000), at: new Date() })
    this.timer ??= setTimeout(() => void this.flush(), 200)
  }

  async flush(): Promise<void> {
    clearTimeout(this.timer)
    this.timer = undefined
    const batch = this.buffer.splice(0)
    this.flushing = this.flushing.then(async () => {
      if (batch.length > 0) await this.db.insert(stepLogs).values(batch)
    }).catch((error: unknown) => logger.error({ err: error, stepId: this.stepId }, 'could not write step logs'))
    await this.flushing
  }
}
