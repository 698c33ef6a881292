import clsx from 'clsx'

/** `champion` is the one that serves by convention: it stands out; any other alias is a quiet tag. */
export function AliasBadge({ alias, version }: { alias: string; version?: number }) {
  return (
    <span
      data-testid={`alias-${alias}`}
      className={clsx(
        'inline-flex items-center gap-1 rounded-full px-2 py-0.5 text-xs font-medium whitespace-nowrap ring-1 ring-inset',
        alias === 'champion' ? 'bg-amber-50 text-amber-800 ring-amber-300' : 'bg-zinc-100 text-zinc-700 ring-zinc-300',
      )}
    >
      {alias === 'champion' ? <span aria-hidden>★</span> : null}
      {alias}
      {version !== undefined ? <span className="font-mono text-[11px] opacity-70">v{version}</span> : null}
    </span>
  )
}

export function AliasBadges({ aliases, withVersions = false }: { aliases: readonly { alias: string; version: number }[]; withVersions?: boolean }) {
  if (aliases.length === 0) return <span className="text-xs text-zinc-400">—</span>
  return (
    <span className="flex flex-wrap gap-1">
      {aliases.map((a) => (
        <AliasBadge key={a.alias} alias={a.alias} version={withVersions ? a.version : undefined} />
      ))}
    </span>
  )
}
