// The registry as an executor sees it (ModelRegistryView): which version a model artifact is, and
// which version an alias points at. Reads only; alias moves come back through the step's outputs.
import { and, desc, eq, sql } from 'drizzle-orm'
import type { Db } from '@/db'
import { modelAliases, models, modelVersions } from '@/db/schema'
import type { InputArtifact, ModelRegistryView } from '@/nodes/contract'

export function registryView(db: Db, runId: string, resolveArtifact: (id: string) => Promise<InputArtifact>): ModelRegistryView {
  return {
    async versionOf(artifactId) {
      const [row] = await db
        .select({ name: models.name, version: modelVersions.version })
        .from(modelVersions)
        .innerJoin(models, eq(models.id, modelVersions.modelId))
        .where(eq(modelVersions.artifactId, artifactId))
        // the version this run registered first: the same bytes may be another model's version too
        .orderBy(desc(sql`coalesce(${modelVersions.lineage}->>'runId' = ${runId}, false)`), desc(modelVersions.createdAt), desc(modelVersions.version))
        .limit(1)
      return row ?? null
    },
    async aliasTarget(name, alias) {
      const [row] = await db
        .select({ version: modelVersions.version, artifactId: modelVersions.artifactId, metadata: modelVersions.metadata })
        .from(modelAliases)
        .innerJoin(models, eq(models.id, modelAliases.modelId))
        .innerJoin(modelVersions, and(eq(modelVersions.modelId, modelAliases.modelId), eq(modelVersions.version, modelAliases.version)))
        .where(and(eq(models.name, name), eq(modelAliases.alias, alias)))
      if (!row) return null
      const artifact = await resolveArtifact(row.artifactId)
      return { version: row.version, model: { ...artifact, model: row.metadata } }
    },
  }
}
