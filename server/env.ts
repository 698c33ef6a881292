import path from 'node:path'
import { z } from 'zod'
import { outboundAllowList } from '@/nodes/_lib/outbound-policy'

const emptyAsUndefined = (v: unknown) => (v === '' ? undefined : v)

function parseJsonText(value: unknown): unknown {
  if (typeof value !== 'string' || value.trim() === '') return value === '' ? undefined : value
  try {
    return JSON.parse(value)
  } catch {
    return value // the schema then says it is not the expected JSON object
  }
}

const trainerCommands = z.record(
  z.string().regex(/^[a-z0-9][a-z0-9._-]{0,63}$/, 'a command name is lower-case letters, digits, ".", "_" and "-"'),
  z.array(z.string().min(1).max(4096)).min(1).max(100),
  { error: 'must be a JSON object of name → ["program", "argument", …]' },
)

const envSchema = z.object({
  PORT: z.coerce.number().int().min(1).max(65535).default(3000),
  PIPEWRIGHT_DATA_DIR: z.string().default('./.pipewright'),
  DATABASE_URL: z.preprocess(emptyAsUndefined, z.url().optional()),
  REDIS_URL: z.preprocess(emptyAsUndefined, z.url().optional()),
  PIPEWRIGHT_MAX_UPLOAD_BYTES: z.coerce.number().int().positive().default(1024 ** 3),
  /** largest inference request body (V2 and records), in bytes */
  PIPEWRIGHT_MAX_INFER_BYTES: z.coerce.number().int().positive().default(16 * 1024 ** 2),
  /** whether this process consumes the deployments' queues and topics (AMQP, MQTT, NATS); one process should */
  PIPEWRIGHT_SERVE_EVENTS: z.enum(['on', 'off']).default('on'),
  /** inference requests per second one token may make, unless the token sets its own */
  PIPEWRIGHT_INFER_RATE_PER_SECOND: z.coerce.number().positive().default(1000),
  /** 'web' starts no in-process worker even without REDIS_URL; set by `npm run worker`; 'serve' (set by `npm run serve`) only answers inference */
  PIPEWRIGHT_ROLE: z.enum(['all', 'web', 'worker', 'serve']).default('all'),
  /** HTTP port of a `npm run serve` process (V2 and records inference only) */
  PIPEWRIGHT_SERVE_PORT: z.coerce.number().int().min(1).max(65535).default(8001),
  /** how many steps one worker process runs at once */
  PIPEWRIGHT_WORKER_CONCURRENCY: z.coerce.number().int().min(1).max(64).default(2),
  /** BullMQ: how often a worker checks for jobs whose worker died (ms) */
  PIPEWRIGHT_STALLED_INTERVAL_MS: z.coerce.number().int().min(1000).default(30_000),
  /** how often each process that runs steps looks for lost ones and puts them back (ms) */
  PIPEWRIGHT_RECONCILE_INTERVAL_MS: z.coerce.number().int().min(100).default(5000),
  /** BullMQ queue name; installations sharing one Redis need different names */
  PIPEWRIGHT_QUEUE_NAME: z.string().regex(/^[A-Za-z0-9_-]+$/).default('pipewright-steps'),
  /**
   * CIDR ranges outbound requests (URL ingest) may reach although they are loopback, private,
   * link-local or metadata addresses, e.g. `10.20.0.0/16,::1/128`; none by default
   */
  PIPEWRIGHT_OUTBOUND_ALLOW: outboundAllowList.default([]),
  LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error', 'silent']).default('info'),
  /** the address people reach the app at, e.g. https://pipewright.example.org; links the app hands out start with it */
  PIPEWRIGHT_PUBLIC_URL: z.preprocess(
    emptyAsUndefined,
    z.url({ protocol: /^https?$/, error: 'must be an http(s) URL such as https://pipewright.example.org' }).optional(),
  ),
  /**
   * The training commands a train step's `command` handoff may run on the workers, as JSON: a name
   * → the program and its arguments, e.g. `{"pytorch-cnn": ["python3", "examples/trainers/pytorch_cnn.py"]}`.
   * A pipeline names one; it can never bring its own.
   */
  PIPEWRIGHT_TRAINER_COMMANDS: z.preprocess(parseJsonText, trainerCommands).default({}),
  /** how many reverse proxies in front of the app append to X-Forwarded-For (0: none; the header is not trusted) */
  PIPEWRIGHT_TRUST_PROXY: z.coerce.number().int().min(0).max(10).default(0),
  /** a session ends this long after sign-in, however active it is */
  PIPEWRIGHT_SESSION_DAYS: z.coerce.number().positive().max(365).default(30),
  /** a session ends after this long without a request */
  PIPEWRIGHT_SESSION_IDLE_HOURS: z.coerce.number().positive().max(24 * 365).default(24),
  /** wrong passwords for one e-mail address before it is locked for a while */
  PIPEWRIGHT_SIGN_IN_MAX_FAILURES: z.coerce.number().int().min(1).max(1000).default(5),
  /** wrong passwords (and unknown rating links) from one client address before it is locked */
  PIPEWRIGHT_SIGN_IN_MAX_FAILURES_PER_CLIENT: z.coerce.number().int().min(1).max(100_000).default(20),
  /** failures older than this (with no lock since) are forgotten */
  PIPEWRIGHT_SIGN_IN_WINDOW_MINUTES: z.coerce.number().positive().max(24 * 60).default(15),
  /** the first lock; each further failure after a lock doubles it, up to an hour */
  PIPEWRIGHT_SIGN_IN_LOCK_SECONDS: z.coerce.number().positive().max(3600).default(60),
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
