import { createHash } from 'node:crypto'
import fs from 'node:fs'
import { eq } from 'drizzle-orm'
import { expect } from 'vitest'
import { artifacts } from '@/db/schema'
import { getRunDetail, type RunDetail } from '@/server/runner/runs'
import { isTerminalRun, isTerminalStep } from '@/server/runner/states'
import type { Backend } from './backends'

/** Wait for a run to end, through an outage: a failed read (the database away) is just tried again. */
export async function waitForRunThroughOutage(backend: Backend, runId: string, timeoutMs: number): Promise<RunDetail> {
  const deadline = Date.now() + timeoutMs
  let last = 'never read'
  for (;;) {
    try {
      const run = await getRunDetail(backend.services.db, runId)
      if (isTerminalRun(run.status)) return run
      last = `${run.status}: ${JSON.stringify(run.steps.map((s) => [s.nodeId, s.status, s.attempt, s.error]))}`
    } catch (error) {
      last = `unreadable (${(error as Error).message})`
    }
    if (Date.now() > deadline) throw new Error(`run ${runId} did not end within ${timeoutMs} ms; last seen ${last}`)
    await new Promise((resolve) => setTimeout(resolve, 200))
  }
}

/** What a user would check: the run's state matches its steps', and every recorded output is stored once. */
export async function expectRunAndStepsAgree(backend: Backend, run: RunDetail): Promise<void> {
  expect(run.steps.every((s) => isTerminalStep(s.status)), `steps still unfinished: ${JSON.stringify(run.steps.map((s) => s.status))}`).toBe(true)
  if (run.status === 'succeeded') expect(run.steps.map((s) => s.status).every((s) => s === 'succeeded')).toBe(true)
  if (run.status === 'canceled') expect(run.steps.some((s) => s.status === 'canceled')).toBe(true)
  if (run.status === 'failed') {
    expect(run.error).toMatch(/^Step "[^"]+" failed: .{10,}/)
    expect(run.steps.some((s) => s.status === 'failed')).toBe(true)
  }
  for (const step of run.steps) {
    if (step.status !== 'succeeded') expect(step.outputs).toEqual({})
    for (const id of Object.values(step.outputs)) {
      const bytes = fs.readFileSync(await backend.services.store.localPath(id))
      expect(createHash('sha256').update(bytes).digest('hex')).toBe(id)
      expect(await backend.services.db.select().from(artifacts).where(eq(artifacts.id, id))).toHaveLength(1)
    }
  }
}
