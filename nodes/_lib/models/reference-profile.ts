// The training data's reference profile, kept with the model: what each feature looked like, so
// drift checks and the fail-safe's out-of-range rule later compare live inputs with it.
import type { ColumnProfile, DatasetProfile } from '../parquet'
import type { Feature, FeatureProfile } from './metadata'

/** The profile of each feature the model reads, from the training dataset's column profiles. */
export function referenceProfile(profile: DatasetProfile, features: readonly Feature[]): FeatureProfile[] {
  const byName = new Map(profile.columns.map((c) => [c.name, c]))
  return features.flatMap((feature): FeatureProfile[] => {
    const column = byName.get(feature.name)
    if (!column || feature.kind === 'image') return []
    return [feature.kind === 'number' ? numberProfile(column) : categoryProfile(column)]
  })
}

function numberProfile(column: ColumnProfile): FeatureProfile {
  const min = typeof column.min === 'number' ? column.min : 0
  const max = typeof column.max === 'number' ? column.max : 0
  return {
    name: column.name,
    kind: 'number',
    count: column.count,
    nulls: column.nulls,
    min,
    max,
    mean: column.mean ?? 0,
    std: column.std ?? 0,
    histogram: column.histogram ?? { edges: [min, max], counts: [column.count] },
  }
}

function categoryProfile(column: ColumnProfile): FeatureProfile {
  return {
    name: column.name,
    kind: 'category',
    count: column.count,
    nulls: column.nulls,
    categories: (column.topValues ?? []).map((v) => ({ value: String(v.value), count: v.count })),
  }
}
