import { createHash } from 'node:crypto'
import { z } from 'zod'
import { textProblem } from '@/server/validation/text'

/**
 * Where an event-driven deployment reads its requests and writes its answers. Credentials come
 * only from the URL (`amqp://user:pass@host`), so there is one secret to keep, and it is never logged
 * (see `redactUrl`).
 */

const schemesByKind = {
  amqp: ['amqp:', 'amqps:'],
  mqtt: ['mqtt:', 'mqtts:'],
  nats: ['nats:', 'tls:'],
} as const

export type BrokerKind = keyof typeof schemesByKind

/** AMQP queue names and NATS subjects stop at 255 bytes; MQTT topics allow more, but no deployment needs it. */
export const maxNameLength = 255

/**
 * One queue, topic or subject. Wildcards are refused: a deployment answers on exactly one name, and
 * a reply to a wildcard (`#`, `+`, `*`, `>`) could not be published at all.
 */
const destinationName = z
  .string()
  .min(1, 'must not be empty')
  .max(maxNameLength, `must be at most ${maxNameLength} characters`)
  .superRefine((value, context) => {
    const problem = textProblem(value) ?? nameProblem(value)
    if (problem) context.addIssue({ code: 'custom', message: problem })
  })

function nameProblem(value: string): string | undefined {
  if (/[\s\p{Cc}]/u.test(value)) return 'must not contain white space or control characters'
  if (/[#+*>]/.test(value)) return 'must not contain a wildcard (#, +, * or >): name one queue, topic or subject'
  if (value.startsWith('$')) return 'must not start with $ (reserved for the broker)'
  if (value.startsWith('amq.')) return 'must not start with amq. (reserved by RabbitMQ)'
  if (/^[./]|[./]$|\.\.|\/\//.test(value)) return 'must not start or end with . or /, nor have an empty level (.. or //)'
  return undefined
}

const consumerName = z
  .string()
  .min(1, 'must not be empty')
  .max(64, 'must be at most 64 characters')
  .regex(/^[A-Za-z0-9_-]+$/, 'may hold only letters, digits, _ and -')

/** An unknown key is refused, not dropped: a `password` beside the URL would silently be ignored. */
function unknownKeyMessage(issue: { code?: string; keys?: string[] }): string | undefined {
  if (issue.code !== 'unrecognized_keys') return undefined
  return `unknown key(s) ${(issue.keys ?? []).join(', ')}; credentials belong in the URL (scheme://user:password@host)`
}

export const eventSourceSchema = z
  .strictObject(
    {
      kind: z.enum(['amqp', 'mqtt', 'nats']),
      url: z.string().max(2048, 'must be at most 2048 characters'),
      /** the queue (AMQP), topic (MQTT) or subject (NATS) requests arrive on */
      input: destinationName,
      /** where each answer, or error, is published */
      reply: destinationName,
      /** most messages taken but not yet acknowledged; MQTT handles one at a time whatever this says */
      prefetch: z.number().int().min(1).max(1000).default(16),
      /**
       * The broker-side identity that must stay the same across restarts so nothing is lost: the
       * MQTT client id of the persistent session, the NATS durable consumer. Derived from `input`
       * when absent. Replicas of one deployment share it (NATS: they share the work; MQTT: only one
       * replica may run, the broker disconnects a second client with the same id).
       */
      consumerName: consumerName.optional(),
    },
    { error: unknownKeyMessage },
  )
  .superRefine((config, context) => {
    const problem = urlProblem(config.kind, config.url)
    if (problem) context.addIssue({ code: 'custom', path: ['url'], message: problem })
    if (config.input === config.reply) {
      context.addIssue({ code: 'custom', path: ['reply'], message: 'must differ from input, or every answer would be read as a new request' })
    }
  })

export type EventSourceInput = z.input<typeof eventSourceSchema>
export type EventSourceConfig = z.output<typeof eventSourceSchema>

function urlProblem(kind: BrokerKind, text: string): string | undefined {
  let url: URL
  try {
    url = new URL(text)
  } catch {
    return `is not a URL; expected e.g. ${kind}://host:port`
  }
  const schemes: readonly string[] = schemesByKind[kind]
  if (!schemes.includes(url.protocol)) return `must start with ${schemes.map((s) => `${s}//`).join(' or ')} for ${kind}`
  if (!url.hostname) return 'must name a host'
  if (url.hash) return 'must not have a #fragment'
  if (kind !== 'amqp' && url.pathname !== '' && url.pathname !== '/') return `must not have a path for ${kind}`
  return undefined
}

/** The URL as it may appear in a log: no password. */
export function redactUrl(text: string): string {
  try {
    const url = new URL(text)
    if (url.password) url.password = '***'
    return url.toString()
  } catch {
    return '(invalid URL)'
  }
}

/** User name and password from the URL, decoded (`%40` is `@`), or undefined when there are none. */
export function credentialsOf(text: string): { user: string; pass: string } | undefined {
  const url = new URL(text)
  if (!url.username && !url.password) return undefined
  return { user: decodeURIComponent(url.username), pass: decodeURIComponent(url.password) }
}

/** The URL without its credentials, for clients that take them as separate options. */
export function urlWithoutCredentials(text: string): string {
  const url = new URL(text)
  url.username = ''
  url.password = ''
  return url.toString()
}

/**
 * A name safe for broker identifiers (NATS stream and consumer names, MQTT client ids) derived from
 * a destination: readable prefix plus a hash, so `a.b` and `a_b` never collide.
 */
export function derivedName(prefix: string, destination: string): string {
  const readable = destination.replace(/[^A-Za-z0-9_-]/g, '_').slice(0, 32)
  const hash = createHash('sha256').update(destination).digest('hex').slice(0, 10)
  return `${prefix}${readable}_${hash}`
}

export function consumerNameOf(config: EventSourceConfig): string {
  return config.consumerName ?? derivedName('pipewright_', config.input)
}
