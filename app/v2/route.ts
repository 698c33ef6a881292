import { inferenceRoute } from '@/server/serving/inference-route'
import { serverMetadata } from '@/server/serving/protocol/v2'

/** V2 server metadata: name, version, extensions. */
export const GET = inferenceRoute('v2', async () => serverMetadata())
