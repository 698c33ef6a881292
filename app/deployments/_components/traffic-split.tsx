import clsx from 'clsx'

/** A served version as `deploymentView` lists it. */
export interface ServedVersion {
  version: number
  role: 'stable' | 'canary' | 'shadow' | 'blue-green'
  weight: number
}

const roleStyle: Record<ServedVersion['role'], { bar: string; chip: string; words: (v: ServedVersion) => string }> = {
  stable: { bar: 'bg-accent-600', chip: 'bg-accent-50 text-accent-700 ring-accent-200', words: (v) => `stable ${v.weight}%` },
  canary: { bar: 'bg-amber-500', chip: 'bg-amber-50 text-amber-800 ring-amber-200', words: (v) => `canary ${v.weight}%` },
  shadow: { bar: 'bg-zinc-300', chip: 'bg-zinc-100 text-zinc-700 ring-zinc-300', words: () => 'shadow: sees a copy of every request, answers none' },
  'blue-green': { bar: 'bg-sky-300', chip: 'bg-sky-50 text-sky-800 ring-sky-200', words: () => 'blue-green preview: warm, no traffic until promoted' },
}

/** The colour a role has in the split's bar, for anything that stands for that version beside it. */
export function roleBarClass(role: ServedVersion['role']): string {
  return roleStyle[role].bar
}

export function roleWords(version: ServedVersion): string {
  return roleStyle[version.role].words(version)
}

/** The versions a deployment serves: a bar of who answers how much, and a chip per version. */
export function TrafficSplit({ versions, paused, size = 'small' }: { versions: readonly ServedVersion[]; paused: boolean; size?: 'small' | 'large' }) {
  const answering = versions.filter((v) => v.weight > 0)
  return (
    <div className={clsx('space-y-1.5', size === 'large' ? 'w-full' : 'w-64')} data-testid="traffic-split">
      <div className={clsx('flex overflow-hidden rounded-full bg-zinc-100', size === 'large' ? 'h-3' : 'h-1.5')} role="img" aria-label={versions.map((v) => `v${v.version} ${roleWords(v)}`).join('; ')}>
        {answering.map((v) => (
          <div key={v.version} className={clsx(roleStyle[v.role].bar, paused && 'opacity-60')} style={{ width: `${v.weight}%` }} />
        ))}
      </div>
      <div className="flex flex-wrap gap-1">
        {versions.map((v) => (
          <span
            key={v.version}
            className={clsx('inline-flex items-center gap-1 rounded px-1.5 py-0.5 text-xs ring-1 ring-inset', roleStyle[v.role].chip)}
            data-testid={`served-${v.role}`}
            data-version={v.version}
            data-weight={v.weight}
          >
            <span className="font-mono font-medium">v{v.version}</span>
            <span>{size === 'large' || v.role === 'stable' || v.role === 'canary' ? roleWords(v) : v.role}</span>
          </span>
        ))}
      </div>
    </div>
  )
}

/** live or paused, as a pill. */
export function StatePill({ state }: { state: string }) {
  const paused = state === 'paused'
  return (
    <span
      className={clsx('inline-flex items-center gap-1.5 rounded-full px-2 py-0.5 text-xs font-medium ring-1 ring-inset', paused ? 'bg-amber-50 text-amber-800 ring-amber-200' : 'bg-green-50 text-green-700 ring-green-200')}
      data-testid="deployment-state"
      title={paused ? 'The rollout is frozen where it stands: traffic keeps its split, nothing but a rollback may change it.' : 'Serving'}
    >
      <span className={clsx('size-1.5 rounded-full', paused ? 'bg-amber-500' : 'bg-green-500 animate-pulse')} aria-hidden />
      {state}
    </span>
  )
}
