'use client'
import { augmentViews } from './augment/views'
import type { NodeViews } from './views-contract'

/** Client-side: each node kind's views (nodes/<kind>/views.tsx). Kinds without any are absent. */
const nodeViews: readonly NodeViews[] = [augmentViews]

const byKind = new Map<string, NodeViews>(nodeViews.map((views) => [views.kind, views]))

export function viewsFor(kind: string): NodeViews | undefined {
  return byKind.get(kind)
}
