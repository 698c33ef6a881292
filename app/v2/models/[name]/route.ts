import { inferenceRoute } from '@/server/serving/inference-route'
import { v2Metadata, type V2Params } from '@/server/serving/v2-routes'

/** V2 model metadata: the versions served, platform, and the inputs and outputs with datatype and shape. */
export const GET = inferenceRoute<V2Params>('v2', v2Metadata)
