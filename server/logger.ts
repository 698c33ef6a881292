import pino from 'pino'

/** JSON logs on stdout, as operators collect them. */
export const logger = pino({
  level: process.env.LOG_LEVEL ?? 'info',
  base: { app: 'pipewright' },
})
