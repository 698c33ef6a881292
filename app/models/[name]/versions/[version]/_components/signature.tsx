// The inputs a version takes and the outputs it gives, with dynamic dimensions by name
// (`batch × 1`), and for each input the raw feature it reads (a number, a category, an image).
import { TableHead } from '@/app/_components/table-head'
import type { ModelMetadata } from '@/nodes/_lib/models/metadata'
import { formatShape } from '../../../../_components/metrics'

function featureNote(metadata: ModelMetadata, input: string): string {
  const feature = metadata.features.find((f) => f.name === input)
  if (!feature) return ''
  if (feature.kind === 'category') return feature.categories.length > 0 ? `category: ${feature.categories.slice(0, 6).join(', ')}${feature.categories.length > 6 ? ', …' : ''}` : 'category'
  if (feature.kind === 'image') return `image, resized from any size (trained at ${feature.width} × ${feature.height})`
  return 'number'
}

export function Signature({ metadata }: { metadata: ModelMetadata }) {
  const rows = [...metadata.inputs.map((s) => ['input', s] as const), ...metadata.outputs.map((s) => ['output', s] as const)]
  return (
    <div className="card overflow-x-auto">
      <table className="w-full text-sm" data-testid="signature">
        <TableHead density="compact" cells={[{ label: '' }, { label: 'Name' }, { label: 'Type' }, { label: 'Shape' }, { label: 'Reads' }]} />
        <tbody className="divide-y divide-zinc-100">
          {rows.map(([side, s]) => (
            <tr key={`${side}-${s.name}`} data-testid={`signature-${side}`}>
              <td className="px-3 py-1.5 text-zinc-500">{side}</td>
              <td className="px-3 py-1.5 font-mono text-xs whitespace-pre">{s.name}</td>
              <td className="px-3 py-1.5 font-mono text-xs">{s.type}</td>
              <td className="px-3 py-1.5 font-mono text-xs" data-testid="signature-shape">
                {formatShape(s.shape)}
              </td>
              <td className="px-3 py-1.5 text-xs text-zinc-500">{side === 'input' ? featureNote(metadata, s.name) : s.name === 'probabilities' && metadata.labels ? `one score per class, in the order of the labels` : ''}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  )
}
