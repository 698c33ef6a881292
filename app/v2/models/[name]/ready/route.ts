import { inferenceRoute } from '@/server/serving/inference-route'
import { v2Ready, type V2Params } from '@/server/serving/v2-routes'

/** V2 model readiness. */
export const GET = inferenceRoute<V2Params>('v2', v2Ready)
