import type { StepContext } from './contract'
import { run as runIngest } from './ingest/run'
import { run as runValidate } from './validate/run'

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyExecutor = (ctx: StepContext<any, any, any>) => Promise<void>

/** Server-only: the executor of each node kind. The UI never imports this file. */
export const executors: Record<string, AnyExecutor> = {
  ingest: runIngest as AnyExecutor,
  validate: runValidate as AnyExecutor,
}
