import fs from 'node:fs'
import path from 'node:path'
import { count } from 'drizzle-orm'
import type { Db } from '@/db'
import { pipelines } from '@/db/schema'
import { createPipeline } from '@/server/pipelines/pipelines'

const seedDir = path.join(process.cwd(), 'server', 'seed')

/** The sample pipelines shipped beside this file, in name order. */
export function samplePipelineFiles(): unknown[] {
  return fs
    .readdirSync(seedDir)
    .filter((name) => name.endsWith('.pipeline.json'))
    .sort()
    .map((name) => JSON.parse(fs.readFileSync(path.join(seedDir, name), 'utf8')) as unknown)
}

/** A new installation starts with the sample pipelines, so there is something to run at once. */
export async function seedSamplePipeline(db: Db): Promise<void> {
  const [row] = await db.select({ n: count() }).from(pipelines)
  if ((row?.n ?? 0) > 0) return
  for (const file of samplePipelineFiles()) await createPipeline(db, file)
}
