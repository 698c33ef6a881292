import { previewParquet } from '@/nodes/_lib/parquet'
import type { Services } from '@/server/services'

/** Every row of a dataset artifact, for assertions. */
export async function readDataset(services: Services, artifactId: string) {
  const preview = await previewParquet(await services.store.localPath(artifactId), 1_000_000)
  return preview.rows
}
