/**
 * The compiler's public API, for server code. Browser code imports `./compile` instead:
 * `./cache-key` needs node:crypto.
 */
export { compile } from './compile'
export { compilePipeline } from './core'
export { canonicalJson, stepCacheKey, type StepCacheKeyInput } from './cache-key'
export { compileErrorCodes } from './types'
export type * from './types'
export { pipelineFile, pipelineNode, pipelineEdge, nodeId, type PipelineFile, type PipelineNode, type PipelineEdge } from './pipeline-file'
