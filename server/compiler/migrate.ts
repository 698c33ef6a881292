import type { NodeDefinition } from '@/nodes/contract'

/** A node whose config was written for an older version of its kind, and what the upgrade did. */
export interface ConfigUpgrade {
  nodeId: string
  kind: string
  from: number
  to: number
  /** each migration's note, oldest first */
  notes: string[]
}

export type UpgradeOutcome =
  | { ok: true; config: Record<string, unknown>; upgrade?: ConfigUpgrade }
  | { ok: false; message: string }

/**
 * Bring a node's config from the version it was written for up to its kind's current one by
 * the definition's migrations, in order. A version bump without a migration (behaviour changed,
 * config did not) needs nothing; a config from a newer Pipewright cannot be read back.
 */
export function upgradeConfig(
  node: { id: string; kind: string; version?: number; config: Record<string, unknown> },
  definition: Pick<NodeDefinition, 'version' | 'migrations'>,
): UpgradeOutcome {
  const from = node.version ?? definition.version
  if (from > definition.version) {
    return {
      ok: false,
      message: `was written for version ${from} of ${node.kind}, newer than this Pipewright's version ${definition.version}; upgrade Pipewright to run it`,
    }
  }
  const due = (definition.migrations ?? []).filter((m) => m.from >= from && m.from < definition.version).sort((a, b) => a.from - b.from)
  if (from === definition.version || due.length === 0) return { ok: true, config: node.config }
  let config = node.config
  for (const migration of due) {
    try {
      config = migration.up(structuredClone(config))
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error)
      return { ok: false, message: `could not be upgraded from version ${migration.from} (${migration.note}): ${reason}` }
    }
  }
  return { ok: true, config, upgrade: { nodeId: node.id, kind: node.kind, from, to: definition.version, notes: due.map((m) => m.note) } }
}

/** "config upgraded from version 1 to 2: renamed `format` to `source.format`" */
export function describeUpgrade(upgrade: ConfigUpgrade): string {
  return `config upgraded from version ${upgrade.from} to ${upgrade.to} of ${upgrade.kind}: ${upgrade.notes.join('; ')}`
}
