import { z } from 'zod'

/** The most nodes and edges one pipeline file may hold; the canvas stays usable well past 1,000 nodes. */
export const maxNodes = 2000
export const maxEdges = 5000

/** `<nodeId>.<port>`: one end of an edge. */
const portRef = z
  .string()
  .regex(/^[^.\s]+\.[^.\s]+$/, 'must look like "<nodeId>.<port>", e.g. "load.dataset"')

export const nodeId = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[A-Za-z][A-Za-z0-9_-]*$/, 'must start with a letter and hold only letters, digits, "_" and "-"')

export const pipelineNode = z.object({
  id: nodeId,
  kind: z.string().min(1),
  config: z.record(z.string(), z.unknown()).default({}),
})

export const pipelineEdge = z.object({ from: portRef, to: portRef })

/** What the canvas saves, the REST API accepts and a repository can keep. */
export const pipelineFile = z.object({
  apiVersion: z.literal('pipewright/v1'),
  name: z
    .string()
    .min(1)
    .max(100)
    .regex(/^[a-z0-9][a-z0-9-]*$/, 'must be lower-case letters, digits and "-", e.g. "penguin-species"'),
  description: z.string().max(2000).optional(),
  nodes: z.array(pipelineNode).max(maxNodes),
  edges: z.array(pipelineEdge).max(maxEdges).default([]),
  /** canvas positions and other view state; never affects a run */
  ui: z.record(z.string(), z.unknown()).optional(),
})

export type PipelineFile = z.infer<typeof pipelineFile>
export type PipelineNode = z.infer<typeof pipelineNode>
export type PipelineEdge = z.infer<typeof pipelineEdge>
