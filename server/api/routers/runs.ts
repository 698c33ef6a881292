import { tracked } from '@trpc/server'
import { z } from 'zod'
import { versionNumber } from '@/server/http/ids'
import { createTRPCRouter, procedureFor } from '@/server/api/trpc'
import { getRunDetail, listRunLogs, startRun } from '@/server/runner/runs'
import { rerunBody, rerunFrom } from '@/server/runner/rerun'
import { cancelRun, retryRun } from '@/server/runner/scheduler'
import { isTerminalRun } from '@/server/runner/states'

const pollMs = 300

export const runsRouter = createTRPCRouter({
  get: procedureFor('pipeline:read')
    .input(z.object({ id: z.uuid() }))
    .query(({ ctx, input }) => getRunDetail(ctx.services.db, input.id)),

  start: procedureFor('pipeline:run', { audit: 'run.start' })
    .input(z.object({ pipelineId: z.uuid(), version: versionNumber.optional(), noCache: z.boolean().optional() }))
    .mutation(async ({ ctx, input }) => {
      const started = await startRun(ctx.services, input.pipelineId, { ...input, actorId: ctx.actor.id })
      ctx.audit.on(`run ${started.runId}`, input)
      return started
    }),

  cancel: procedureFor('pipeline:run', { audit: 'run.cancel' })
    .input(z.object({ id: z.uuid() }))
    .mutation(async ({ ctx, input }) => {
      const canceled = await cancelRun(ctx.services.db, input.id)
      ctx.audit.on(`run ${input.id}`, { canceled })
      return { canceled }
    }),

  retry: procedureFor('pipeline:run', { audit: 'run.retry' })
    .input(z.object({ id: z.uuid() }))
    .mutation(async ({ ctx, input }) => {
      const retried = await retryRun(ctx.services, input.id)
      ctx.audit.on(`run ${input.id}`, { retried })
      return { retried }
    }),

  /** Force a re-run from one node (it and its descendants run, the rest comes from the cache): the new run's id. */
  rerun: procedureFor('pipeline:run', { audit: 'run.rerun' })
    .input(rerunBody.extend({ id: z.uuid() }))
    .mutation(async ({ ctx, input }) => {
      const started = await rerunFrom(ctx.services, input.id, input.nodeId, ctx.actor.id)
      ctx.audit.on(`run ${started.runId}`, { rerunOf: input.id, nodeId: input.nodeId })
      return started
    }),

  /**
   * Live run state over SSE: a snapshot whenever anything changed, plus new log lines.
   * Polls the database, so it works whichever process (web or worker) ran the step.
   */
  watch: procedureFor('pipeline:read')
    .input(z.object({ id: z.uuid(), lastEventId: z.string().max(100).nullish() }))
    .subscription(async function* ({ ctx, input, signal }) {
      let lastLogId = 0
      let lastFingerprint = ''
      while (!signal?.aborted) {
        const run = await getRunDetail(ctx.services.db, input.id)
        const logs = await listRunLogs(ctx.services.db, input.id, lastLogId)
        const fingerprint = JSON.stringify([run.status, run.steps.map((s) => [s.status, s.progress, s.attempt, s.error, s.curve?.length ?? 0])])
        if (fingerprint !== lastFingerprint || logs.length > 0) {
          lastFingerprint = fingerprint
          lastLogId = logs.at(-1)?.id ?? lastLogId
          yield tracked(`${fingerprint.length}-${lastLogId}-${Date.now()}`, { run, logs })
        }
        if (isTerminalRun(run.status) && logs.length === 0) {
          await sleep(2000, signal)
          const later = await listRunLogs(ctx.services.db, input.id, lastLogId)
          if (later.length === 0) return
          continue
        }
        await sleep(pollMs, signal)
      }
    }),
})

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms)
    signal?.addEventListener('abort', () => {
      clearTimeout(timer)
      resolve()
    })
  })
}
