// Server-only: a deployment's live health across every serving process — the web process and any
// `npm run serve` processes — read from the buckets each of them writes (health-writer.ts).
import { and, eq, gte, lte } from 'drizzle-orm'
import type { Db } from '@/db'
import { servingHealth } from '@/db/schema'
import { chartSpan, deploymentHealth, type DeploymentHealth, type ProcessBucket } from './health-shape'

export async function fleetHealth(db: Db, deployment: { id: string; name: string }, now = Date.now()): Promise<DeploymentHealth> {
  const span = chartSpan(now)
  const rows = await db
    .select({
      processId: servingHealth.processId,
      version: servingHealth.modelVersion,
      shadow: servingHealth.shadow,
      bucketStart: servingHealth.bucketStart,
      requests: servingHealth.requests,
      errors: servingHealth.errors,
      fallbacks: servingHealth.fallbacks,
      bins: servingHealth.latencyBins,
    })
    .from(servingHealth)
    .where(and(eq(servingHealth.deploymentId, deployment.id), gte(servingHealth.bucketStart, new Date(span.from)), lte(servingHealth.bucketStart, new Date(span.to))))
  const buckets: ProcessBucket[] = rows.map(({ bucketStart, ...row }) => ({ ...row, at: bucketStart.getTime() }))
  return deploymentHealth(deployment.name, buckets, now)
}
