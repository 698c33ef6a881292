import { findNodeDefinition } from '@/nodes/registry'
import { compilePipeline } from './core'
import type { CompileOptions, CompileResult } from './types'

export type * from './types'
export { compileErrorCodes } from './types'

/**
 * Compile a pipeline file (any parsed JSON) into a job plan, or say everything that is wrong
 * with it. Pure and isomorphic — the canvas runs it in the browser to show errors live — and
 * it never throws. Errors come sorted: the file's shape first, then each node in file order,
 * then edges, then cycles; the first is the one to show when only one fits.
 */
export function compile(input: unknown, { findNode = findNodeDefinition }: CompileOptions = {}): CompileResult {
  return compilePipeline(input, findNode)
}
