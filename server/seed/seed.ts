import fs from 'node:fs'
import path from 'node:path'
import { count } from 'drizzle-orm'
import type { Db } from '@/db'
import { pipelines } from '@/db/schema'
import { createPipeline } from '@/server/pipelines/pipelines'

const samplePipelineFile = path.join(process.cwd(), 'server', 'seed', 'penguin-species.pipeline.json')

/** A new installation starts with the sample pipeline, so there is something to run at once. */
export async function seedSamplePipeline(db: Db): Promise<void> {
  const [row] = await db.select({ n: count() }).from(pipelines)
  if ((row?.n ?? 0) > 0) return
  await createPipeline(db, JSON.parse(fs.readFileSync(samplePipelineFile, 'utf8')))
}
