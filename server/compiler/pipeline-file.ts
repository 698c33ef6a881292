import { z } from 'zod'
import { findBadString, text } from '@/server/validation/text'

/** The most nodes and edges one pipeline file may hold; the canvas stays usable well past 1,000 nodes. */
export const maxNodes = 2000
export const maxEdges = 5000
/** The whole file as JSON, `ui` included: 2,000 nodes with notes and positions fit well inside. */
export const maxFileBytes = 5 * 1024 * 1024
/** View state (positions, notes, groups) on its own */
export const maxUiBytes = 2 * 1024 * 1024

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
  kind: z.string().min(1).max(64),
  /** the version of its kind this config was written for; absent means the current one */
  version: z.number().int().min(1).max(2147483647).optional(),
  config: z.record(z.string(), z.unknown()).default({}),
})

export const pipelineEdge = z.object({ from: portRef, to: portRef })

/** A name that is also an id in URLs: pipelines, registered models and their aliases. */
export const slugName = z
  .string()
  .min(1)
  .max(100)
  .regex(/^[a-z0-9][a-z0-9-]*$/, 'must be lower-case letters, digits and "-", e.g. "penguin-species"')

/** What the canvas saves, the REST API accepts and a repository can keep. */
export const pipelineFile = z.object({
  apiVersion: z.literal('pipewright/v1'),
  name: slugName,
  description: text({ max: 2000, trim: false }).optional(),
  nodes: z.array(pipelineNode).max(maxNodes),
  edges: z.array(pipelineEdge).max(maxEdges).default([]),
  /** canvas positions and other view state; never affects a run */
  ui: z
    .record(z.string(), z.unknown())
    .optional()
    .refine((ui) => ui === undefined || jsonSize(ui) <= maxUiBytes, `must be at most ${maxUiBytes / 1024 / 1024} MiB as JSON (canvas notes and positions)`),
}).superRefine((file, context) => {
  // config and ui are free-form: a NUL or a lone surrogate anywhere would fail in the database
  const bad = findBadString(file)
  if (bad) context.addIssue({ code: 'custom', path: bad.path, message: bad.message })
  if (jsonSize(file) > maxFileBytes) context.addIssue({ code: 'custom', path: [], message: `the file must be at most ${maxFileBytes / 1024 / 1024} MiB as JSON` })
})

/** Length of the JSON text in UTF-16 units: close enough to bytes for a limit, and cheap. */
function jsonSize(value: unknown): number {
  return JSON.stringify(value)?.length ?? 0
}

export type PipelineFile = z.infer<typeof pipelineFile>
export type PipelineNode = z.infer<typeof pipelineNode>
export type PipelineEdge = z.infer<typeof pipelineEdge>
