import path from 'node:path'
import { z } from 'zod'

const emptyAsUndefined = (v: unknown) => (v === '' ? undefined : v)

const envSchema = z.object({
  PORT: z.coerce.number().int().min(1).max(65535).default(3000),
  PIPEWRIGHT_DATA_DIR: z.string().default('./.pipewright'),
  DATABASE_URL: z.preprocess(emptyAsUndefined, z.url().optional()),
  REDIS_URL: z.preprocess(emptyAsUndefined, z.url().optional()),
  PIPEWRIGHT_MAX_UPLOAD_BYTES: z.coerce.number().int().positive().default(1024 ** 3),
  /** 'web' starts no in-process worker even without REDIS_URL; set by `npm run worker` */
  PIPEWRIGHT_ROLE: z.enum(['all', 'web', 'worker']).default('all'),
  /** how many steps one worker process runs at once */
  PIPEWRIGHT_WORKER_CONCURRENCY: z.coerce.number().int().min(1).max(64).default(2),
  /** BullMQ: how often a worker checks for jobs whose worker died (ms) */
  PIPEWRIGHT_STALLED_INTERVAL_MS: z.coerce.number().int().min(1000).default(30_000),
  /** how often each process that runs steps looks for lost ones and puts them back (ms) */
  PIPEWRIGHT_RECONCILE_INTERVAL_MS: z.coerce.number().int().min(100).default(5000),
  /** BullMQ queue name; installations sharing one Redis need different names */
  PIPEWRIGHT_QUEUE_NAME: z.string().regex(/^[A-Za-z0-9_-]+$/).default('pipewright-steps'),
  LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error', 'silent']).default('info'),
})

export type Env = z.infer<typeof envSchema> & { dataDir: string }

/** Read and check the environment; a wrong value stops the process with a message saying which. */
export function readEnv(source: Record<string, string | undefined> = process.env): Env {
  const parsed = envSchema.safeParse(source)
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')
    throw new Error(`Invalid environment: ${problems}. See .env.example.`)
  }
  return { ...parsed.data, dataDir: path.resolve(parsed.data.PIPEWRIGHT_DATA_DIR) }
}

let cached: Env | undefined
export function env(): Env {
  cached ??= readEnv()
  return cached
}
