import { inferenceRoute } from '@/server/serving/inference-route'

/** V2 readiness: 200 once every deployment's versions are loaded in this process (the first call loads them). */
export const GET = inferenceRoute('v2', async ({ serving }) => {
  const failed = await serving.deployments.loadAll()
  if (failed.length > 0) return Response.json({ ready: false, error: `Not ready: ${failed.join(', ')} could not be loaded.` }, { status: 503 })
  return { ready: true }
})
