import type { EditorDoc, XY } from './document'
import { nodeSize } from './geometry'
import { portLayout } from './ports-layout'

/**
 * Left-to-right layered layout by elkjs, aware of ports so edges leave and enter where the
 * handles are. Loaded on first use: it is a large library most sessions never need.
 */
export async function autoLayout(doc: EditorDoc): Promise<Map<string, XY>> {
  const { default: ELK } = await import('elkjs/lib/elk.bundled.js')
  const elk = new ELK()
  const graph = await elk.layout({
    id: 'root',
    layoutOptions: {
      'elk.algorithm': 'layered',
      'elk.direction': 'RIGHT',
      'elk.layered.spacing.nodeNodeBetweenLayers': '90',
      'elk.spacing.nodeNode': '48',
      'elk.layered.nodePlacement.strategy': 'NETWORK_SIMPLEX',
    },
    children: doc.nodes.map((node) => {
      const size = nodeSize(node.kind)
      const ports = portLayout(node.kind)
      return {
        id: node.id,
        ...size,
        layoutOptions: { 'elk.portConstraints': 'FIXED_ORDER' },
        ports: [
          ...ports.inputs.map((p) => ({ id: `${node.id}.in.${p.name}`, layoutOptions: { 'elk.port.side': 'WEST' } })),
          ...ports.outputs.map((p) => ({ id: `${node.id}.out.${p.name}`, layoutOptions: { 'elk.port.side': 'EAST' } })),
        ],
      }
    }),
    edges: doc.edges.map((edge, i) => ({
      id: `e${i}`,
      sources: [`${edge.from.node}.out.${edge.from.port}`],
      targets: [`${edge.to.node}.in.${edge.to.port}`],
    })),
  })
  return new Map((graph.children ?? []).map((child) => [child.id, { x: child.x ?? 0, y: child.y ?? 0 }]))
}
