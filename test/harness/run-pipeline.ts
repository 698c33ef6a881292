import { Readable } from 'node:stream'
import { eq } from 'drizzle-orm'
import { recordArtifact } from '@/server/artifacts/metadata'
import { mediaTypeOf } from '@/server/artifacts/upload'
import { createPipeline, savePipelineVersion } from '@/server/pipelines/pipelines'
import { getRunDetail, startRun, type RunDetail } from '@/server/runner/runs'
import { isTerminalRun } from '@/server/runner/states'
import { pipelines } from '@/db/schema'
import type { Services } from '@/server/services'

/** Store bytes as an uploaded file, as POST /api/v1/uploads does. */
export async function upload(services: Services, filename: string, content: string | Buffer): Promise<string> {
  const blob = await services.store.putStream(Readable.from([Buffer.from(content)]), services.env.PIPEWRIGHT_MAX_UPLOAD_BYTES)
  await recordArtifact(services.db, { id: blob.id, kind: 'file', sizeBytes: blob.sizeBytes, mediaType: mediaTypeOf(filename), filename })
  return blob.id
}

/** Create the pipeline, or save a new version when one with that name exists. */
export async function savePipeline(services: Services, file: { name: string }): Promise<string> {
  const [existing] = await services.db.select().from(pipelines).where(eq(pipelines.name, file.name))
  if (existing) return (await savePipelineVersion(services.db, existing.id, file)).id
  return (await createPipeline(services.db, file)).id
}

export async function waitForRun(services: Services, runId: string, timeoutMs = 60_000): Promise<RunDetail> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const run = await getRunDetail(services.db, runId)
    if (isTerminalRun(run.status)) return run
    if (Date.now() > deadline) {
      throw new Error(`run ${runId} still ${run.status} after ${timeoutMs} ms: ${JSON.stringify(run.steps.map((s) => [s.nodeId, s.status, s.error]))}`)
    }
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
}

export async function runToEnd(services: Services, file: { name: string }, options: { noCache?: boolean } = {}) {
  const pipelineId = await savePipeline(services, file)
  const { runId } = await startRun(services, pipelineId, options)
  return waitForRun(services, runId)
}

export async function waitFor<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const value = await probe()
    if (value !== undefined) return value
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
}
