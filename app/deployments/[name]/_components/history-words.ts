// One rollout-history entry in words: "rolled out v2 as a 10% canary". Isomorphic.

type Detail = Record<string, unknown>

const num = (value: unknown): string => (typeof value === 'number' ? String(value) : '?')

function settingsWords(detail: Detail): string {
  const parts: string[] = []
  if (typeof detail.public === 'boolean') parts.push(detail.public ? 'made public' : 'made private')
  if (typeof detail.logSample === 'number') parts.push(`logs ${Math.round(detail.logSample * 1000) / 10}% of requests`)
  if ('failsafe' in detail) parts.push(detail.failsafe === null ? 'fail-safe removed' : 'fail-safe set')
  if (detail.serving && typeof detail.serving === 'object') parts.push(`serving limits ${JSON.stringify(detail.serving)}`)
  return parts.length > 0 ? `settings: ${parts.join(', ')}` : 'settings saved (no change)'
}

export function historyWords(action: string, detail: Detail): string {
  switch (action) {
    case 'create':
      return `created, serving v${num(detail.version)} of ${String(detail.model ?? 'the model')}${detail.alias ? ` (alias ${String(detail.alias)})` : ''}`
    case 'rollout':
      return detail.strategy === 'canary'
        ? `rolled out v${num(detail.version)} as a ${num(detail.weight)}% canary beside v${num(detail.stable)}`
        : detail.strategy === 'shadow'
          ? `rolled out v${num(detail.version)} in the shadow of v${num(detail.stable)}`
          : `rolled out v${num(detail.version)} as the blue-green preview beside v${num(detail.stable)}`
    case 'weight':
      return `moved the canary v${num(detail.version)} to ${num(detail.weight)}%`
    case 'promote':
      return `promoted v${num(detail.version)} (was v${num(detail.from)})`
    case 'rollback':
      return 'withdrawn' in detail
        ? `rolled back: withdrew the ${String(detail.strategy ?? '')} v${num(detail.withdrawn)}, v${num(detail.version)} answers everything`
        : `rolled back to v${num(detail.version)} (from v${num(detail.from)})`
    case 'pause':
      return 'paused the rollout'
    case 'resume':
      return 'resumed the rollout'
    case 'update':
      return settingsWords(detail)
    default:
      return `${action} ${JSON.stringify(detail)}`
  }
}

const runActor = /^run ([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/

/** The run a change was made by (a deploy step's "run <id>"), to link to; null for a person. */
export function runOfActor(by: string): string | null {
  return runActor.exec(by)?.[1] ?? null
}
