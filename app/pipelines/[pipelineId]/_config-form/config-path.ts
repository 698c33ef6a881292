/** A place inside a node's config: property names and list indexes, e.g. ['rules', 0, 'min']. */
export type Path = readonly (string | number)[]

/** The dotted form used by `data-field`, issues and the editor's undo grouping: "rules.0.min". */
export function pathKey(path: Path): string {
  return path.join('.')
}

function isContainer(v: unknown): v is Record<string | number, unknown> {
  return typeof v === 'object' && v !== null
}

export function getAt(root: unknown, path: Path): unknown {
  let here = root
  for (const key of path) {
    if (!isContainer(here)) return undefined
    here = here[key]
  }
  return here
}

/**
 * A copy of `root` with `value` at `path`; only the objects along the path are copied, so
 * untouched branches keep their identity. Setting an object property to undefined removes
 * it: an emptied optional field must leave the config, not sit there as `undefined`.
 */
export function setAt(root: unknown, path: Path, value: unknown): unknown {
  const [key, ...rest] = path
  if (key === undefined) return value
  const inner = rest.length === 0 ? value : setAt(isContainer(root) ? root[key] : undefined, rest, value)
  if (Array.isArray(root) || (!isContainer(root) && typeof key === 'number')) {
    const copy = Array.isArray(root) ? [...(root as unknown[])] : []
    copy[Number(key)] = inner
    return copy
  }
  const copy: Record<string, unknown> = isContainer(root) ? { ...(root as Record<string, unknown>) } : {}
  if (inner === undefined) delete copy[key]
  else copy[key] = inner
  return copy
}

export function listWithout<T>(list: readonly T[], index: number): T[] {
  return list.filter((_, i) => i !== index)
}

/** `list` with the entry at `from` moved to `to`; unchanged when `to` is out of range. */
export function listMoved<T>(list: readonly T[], from: number, to: number): T[] {
  if (to < 0 || to >= list.length || from === to) return [...list]
  const copy = [...list]
  const [moved] = copy.splice(from, 1)
  copy.splice(to, 0, moved as T)
  return copy
}
