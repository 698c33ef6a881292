'use client'
import { augmentViews } from './augment/views'
import { deployViews } from './deploy/views'
import { evaluateViews } from './evaluate/views'
import { ingestViews } from './ingest/views'
import { splitViews } from './split/views'
import { transformViews } from './transform/views'
import { validateViews } from './validate/views'
import type { NodeViews } from './views-contract'

/** Client-side: each node kind's views (nodes/<kind>/views.tsx). Kinds without any are absent. */
const nodeViews: readonly NodeViews[] = [ingestViews, validateViews, transformViews, splitViews, augmentViews, evaluateViews, deployViews]

const byKind = new Map<string, NodeViews>(nodeViews.map((views) => [views.kind, views]))

export function viewsFor(kind: string): NodeViews | undefined {
  return byKind.get(kind)
}
