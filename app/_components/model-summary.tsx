// What a model output is, at a glance: task, classes, the inputs it takes and outputs it gives
// (dynamic dimensions by name), and the metrics training ended with.
import { TableHead } from '@/app/_components/table-head'
import type { ModelMetadata, TensorSignature } from '@/nodes/_lib/models/metadata'

function shape(signature: TensorSignature): string {
  return `[${signature.shape.join(', ')}]`
}

export function ModelSummary({ metadata }: { metadata: ModelMetadata }) {
  const metrics = Object.entries(metadata.metrics ?? {})
  return (
    <div className="space-y-4" data-testid="model-summary">
      <dl className="grid grid-cols-[max-content_1fr] gap-x-6 gap-y-1 text-sm">
        <dt className="text-zinc-500">Task</dt>
        <dd>
          {metadata.task} of <span className="font-mono">{metadata.label}</span> · {metadata.algorithm}
        </dd>
        {metadata.labels ? (
          <>
            <dt className="text-zinc-500">Classes</dt>
            <dd data-testid="model-labels">{metadata.labels.join(', ')}</dd>
          </>
        ) : null}
        {metrics.length > 0 ? (
          <>
            <dt className="text-zinc-500">Metrics</dt>
            <dd className="tabular-nums">{metrics.map(([name, value]) => `${name.replaceAll('_', ' ')} ${Number(value.toPrecision(4))}`).join(' · ')}</dd>
          </>
        ) : null}
      </dl>
      <div className="overflow-x-auto rounded-lg border border-zinc-200 bg-white">
        <table className="min-w-full text-sm">
          <TableHead density="compact" cells={[{ label: 'Signature' }, { label: 'Name' }, { label: 'Type' }, { label: 'Shape' }]} />
          <tbody className="divide-y divide-zinc-100">
            {[...metadata.inputs.map((s) => ['input', s] as const), ...metadata.outputs.map((s) => ['output', s] as const)].map(([side, signature]) => (
              <tr key={`${side}-${signature.name}`}>
                <td className="px-3 py-1.5 text-zinc-500">{side}</td>
                <td className="px-3 py-1.5 font-mono text-xs whitespace-pre">{signature.name}</td>
                <td className="px-3 py-1.5 font-mono text-xs">{signature.type}</td>
                <td className="px-3 py-1.5 font-mono text-xs">{shape(signature)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  )
}
