// The serving runtime: what routes and deployments build on. Server-only.
export { ServedModel, type InferOptions, type InferResult, type ServedModelSource, type ServingStats } from './served-model'
export { ModelPool, modelKey, type ModelLoader, type PoolEntryStats } from './pool'
export { InferenceFailedError, InferenceTimeoutError, InvalidFeedsError, ServingBusyError, ServingClosedError } from './errors'
export { servingOptionsSchema, type ServingOptions, type ServingOptionsInput } from './options'
export type { Feeds, Outputs, TensorData } from '@/nodes/_lib/models/session-thread/session-thread'
export { ModelLoadError } from '@/nodes/_lib/models/session-thread/session-thread'
