// What the training data looked like, per feature: a number's range, mean and spread with a tiny
// histogram, a category's counts, an image's mean levels. Drift checks later compare live inputs
// with exactly these numbers, so the card shows them as stored.
import { Group } from '@visx/group'
import { scaleBand, scaleLinear } from '@visx/scale'
import { Bar } from '@visx/shape'
import { formatNumber } from '@/app/_components/format'
import { TableHead } from '@/app/_components/table-head'
import type { FeatureProfile } from '@/nodes/_lib/models/metadata'

type NumberProfile = Extract<FeatureProfile, { kind: 'number' }>
type CategoryProfile = Extract<FeatureProfile, { kind: 'category' }>

const spark = { width: 140, height: 30 }
const shownCategories = 8

function Histogram({ profile }: { profile: NumberProfile }) {
  const { counts, edges } = profile.histogram
  if (counts.length === 0) return null
  const x = scaleBand({ domain: counts.map((_, i) => i), range: [0, spark.width], padding: 0.12 })
  const y = scaleLinear({ domain: [0, Math.max(1, ...counts)], range: [spark.height, 0] })
  return (
    <svg width={spark.width} height={spark.height} role="img" aria-label={`Histogram of ${profile.name}`} data-testid="profile-histogram">
      {counts.map((count, i) => (
        <Bar key={i} x={x(i)} y={y(count)} width={x.bandwidth()} height={spark.height - y(count)} fill="#818cf8">
          <title>{`${formatNumber(edges[i])} – ${formatNumber(edges[i + 1])}: ${count}`}</title>
        </Bar>
      ))}
    </svg>
  )
}

function CategoryBars({ profile }: { profile: CategoryProfile }) {
  const top = [...profile.categories].sort((a, b) => b.count - a.count).slice(0, shownCategories)
  if (top.length === 0) return null
  const rowHeight = 14
  const labelWidth = 70
  const barWidth = spark.width - 28
  const x = scaleLinear({ domain: [0, Math.max(1, ...top.map((c) => c.count))], range: [0, barWidth] })
  return (
    <svg width={labelWidth + spark.width} height={top.length * rowHeight} role="img" aria-label={`Category counts of ${profile.name}`} data-testid="profile-categories">
      {top.map((c, i) => (
        <Group key={c.value} top={i * rowHeight}>
          <text x={labelWidth - 4} y={rowHeight / 2} textAnchor="end" dominantBaseline="middle" className="fill-zinc-600 text-[10px]">
            {c.value.length > 12 ? `${c.value.slice(0, 11)}…` : c.value}
          </text>
          <Bar x={labelWidth} y={2} width={Math.max(1, x(c.count))} height={rowHeight - 4} fill="#2dd4bf" rx={1} />
          <text x={labelWidth + x(c.count) + 4} y={rowHeight / 2} dominantBaseline="middle" className="fill-zinc-500 text-[10px] tabular-nums">
            {c.count}
          </text>
        </Group>
      ))}
    </svg>
  )
}

function Summary({ profile }: { profile: FeatureProfile }) {
  if (profile.kind === 'number') {
    return (
      <span className="tabular-nums">
        {formatNumber(profile.min)} … {formatNumber(profile.max)}
        <span className="block text-xs text-zinc-500">
          mean {formatNumber(profile.mean)} ± {formatNumber(profile.std)}
        </span>
      </span>
    )
  }
  if (profile.kind === 'category') {
    const more = profile.categories.length - shownCategories
    return (
      <span>
        {profile.categories.length} categories
        {more > 0 ? <span className="block text-xs text-zinc-500">the {shownCategories} most frequent shown</span> : null}
      </span>
    )
  }
  return <span className="tabular-nums">mean RGB {profile.meanLevel.map((v) => formatNumber(v, 0)).join(', ')}</span>
}

export function ReferenceProfile({ profile }: { profile: readonly FeatureProfile[] }) {
  return (
    <div className="card overflow-x-auto">
      <table className="w-full text-sm" data-testid="reference-profile">
        <TableHead density="compact" cells={[{ label: 'Feature' }, { label: 'Kind' }, { label: 'Rows', align: 'right' }, { label: 'Range or values' }, { label: 'Distribution' }]} />
        <tbody className="divide-y divide-zinc-100">
          {profile.map((feature) => (
            <tr key={feature.name} className="align-top" data-testid={`profile-${feature.name}`}>
              <td className="px-3 py-2 font-mono text-xs whitespace-pre">{feature.name}</td>
              <td className="px-3 py-2 text-zinc-500">{feature.kind}</td>
              <td className="px-3 py-2 text-right tabular-nums">
                {formatNumber(feature.count, 0)}
                {'nulls' in feature && feature.nulls > 0 ? <span className="block text-xs text-zinc-500">{formatNumber(feature.nulls, 0)} empty</span> : null}
              </td>
              <td className="px-3 py-2">
                <Summary profile={feature} />
              </td>
              <td className="px-3 py-2">{feature.kind === 'number' ? <Histogram profile={feature} /> : feature.kind === 'category' ? <CategoryBars profile={feature} /> : null}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  )
}
