import { Position, type NodeHandle } from '@xyflow/react'
import type { PortType } from '@/nodes/contract'
import { portsOf } from './connections'
import { nodeSize } from './geometry'

export interface PortLayout {
  /** `optional`: the node runs without an edge here */
  inputs: { name: string; type: PortType; optional: boolean }[]
  outputs: { name: string; type: PortType }[]
}

const headerHeight = 50
const bodyPadding = 4
const rowHeight = 22

/** The vertical centre of port row `index`, from the node's top edge. */
export function portRowTop(index: number): number {
  return headerHeight + bodyPadding + index * rowHeight + rowHeight / 2
}

export function portLayout(kind: string): PortLayout {
  const ports = portsOf(kind)
  return {
    inputs: Object.entries(ports.in).map(([name, type]) => ({ name, type, optional: (ports.optional ?? []).includes(name) })),
    outputs: Object.entries(ports.out).map(([name, type]) => ({ name, type })),
  }
}

const handleSize = 12

/**
 * Handle boxes React Flow would otherwise measure from the DOM. Given up front, edges draw at
 * once, even to nodes outside the view that are never rendered.
 */
export function handleBounds(kind: string): NodeHandle[] {
  const { width } = nodeSize(kind)
  const layout = portLayout(kind)
  return [
    ...layout.inputs.map((port, index) => ({
      id: port.name,
      type: 'target' as const,
      position: Position.Left,
      x: -handleSize / 2,
      y: portRowTop(index) - handleSize / 2,
      width: handleSize,
      height: handleSize,
    })),
    ...layout.outputs.map((port, index) => ({
      id: port.name,
      type: 'source' as const,
      position: Position.Right,
      x: width - handleSize / 2,
      y: portRowTop(index) - handleSize / 2,
      width: handleSize,
      height: handleSize,
    })),
  ]
}
