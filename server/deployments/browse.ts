// Server-only: what the deployments pages and the use-case page read (the pages are server
// components; the live numbers come from the browser polling `…/health`).
import { eq, inArray } from 'drizzle-orm'
import type { Db } from '@/db'
import { deployments } from '@/db/schema'
import { deploymentView } from './deployments'

export type DeploymentView = ReturnType<typeof deploymentView>

/** The deployments a pipeline's deploy step made, for the use cases those pipelines are linked to. */
export async function deploymentsOfPipelines(db: Db, pipelineIds: readonly string[]): Promise<(DeploymentView & { pipelineId: string })[]> {
  if (pipelineIds.length === 0) return []
  const rows = await db.select().from(deployments).where(inArray(deployments.pipelineId, [...pipelineIds])).orderBy(deployments.name)
  return rows.map((row) => ({ ...deploymentView(row), pipelineId: row.pipelineId! }))
}

/** The deployments serving a model, for its version pages (to say where it is deployed already). */
export async function deploymentsOfModel(db: Db, model: string): Promise<{ name: string; stableVersion: number }[]> {
  return db.select({ name: deployments.name, stableVersion: deployments.stableVersion }).from(deployments).where(eq(deployments.modelName, model)).orderBy(deployments.name)
}
