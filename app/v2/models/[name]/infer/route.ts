import { inferenceRoute } from '@/server/serving/inference-route'
import { v2Infer, type V2Params } from '@/server/serving/v2-routes'

/** V2 inference: JSON tensors in, JSON tensors out, `id` echoed, `model_version` the version that answered. */
export const POST = inferenceRoute<V2Params>('v2', v2Infer)
