// Archive entry names: which are refused (zip-slip), which are ignored (macOS and hidden files).
import { StepError } from '../../contract'

/**
 * The entry's path as segments, or a StepError when it could land outside the archive's folder:
 * `..` anywhere, an absolute path (`/x`, `\x`), a drive letter (`C:`, at the start or after any separator), a UNC or NUL name.
 * Backslashes count as separators, as Windows tools write and extract them.
 */
export function safeSegments(name: string): string[] {
  const refuse = (why: string) =>
    new StepError(`The archive was refused: its entry ${JSON.stringify(name)} ${why} (a "zip-slip" entry). Nothing was stored.`)
  if (name.includes('\u0000')) throw refuse('has a NUL character in its name')
  const unified = name.replace(/\\/g, '/')
  if (unified.startsWith('/')) throw refuse('is an absolute path')
  if (/^[A-Za-z]:/.test(unified)) throw refuse('starts with a drive letter')
  const segments = unified.split('/').filter((s) => s !== '' && s !== '.')
  if (segments.includes('..')) throw refuse('points outside the archive with ".."')
  // Windows reads `C:` anywhere in a path as a drive of its own (`a/C:x` resolves to C:x)
  if (segments.some((s) => /^[A-Za-z]:/.test(s))) throw refuse('has a drive letter inside its path')
  return segments
}

/** macOS resource forks (`__MACOSX/…`, `._x.png`), `.DS_Store`, and anything hidden (a segment starting with a dot). */
export function isIgnoredPath(segments: readonly string[]): boolean {
  return segments.some((s) => s === '__MACOSX' || s.startsWith('.') || s === 'Thumbs.db' || s === 'desktop.ini')
}
