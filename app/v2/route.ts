import { inferenceRoute } from '@/server/serving/inference-route'
import { serverMetadata } from '@/server/serving/protocol/v2'

/** V2 server metadata: name, version, extensions (Triton's name for the binary tensor data one). */
export const GET = inferenceRoute('v2', async () => serverMetadata(['binary_tensor_data']))
