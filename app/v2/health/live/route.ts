import { inferenceRoute } from '@/server/serving/inference-route'

/** V2 liveness: 200 while the server answers. */
export const GET = inferenceRoute('v2', async () => ({ live: true }))
