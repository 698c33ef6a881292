import { posix, win32 } from 'node:path'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { StepError } from '../../contract'
import { isIgnoredPath, safeSegments } from './entry-paths'

describe('archive entry names', () => {
  it('never lets an accepted name land outside the folder it would be unpacked into, on POSIX or Windows', () => {
    const piece = fc.constantFrom('a', 'b.png', '.', '..', '...', '/', '\\', 'C:', 'c:', ':', ' ', '..\\', '%2e%2e', '\u2024\u2024')
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 8 }).map((parts) => parts.join('')), (name) => {
        let segments: string[]
        try {
          segments = safeSegments(name)
        } catch (error) {
          expect(error).toBeInstanceOf(StepError)
          return
        }
        for (const path of [posix, win32]) {
          const root = path.resolve(path === posix ? '/unpack' : 'D:\\unpack')
          const target = path.resolve(root, ...segments)
          expect(target === root || target.startsWith(root + path.sep), `${name} → ${target}`).toBe(true)
        }
      }),
      { numRuns: 2000 },
    )
  })

  it('ignores macOS metadata, Windows thumbnails and hidden files, not names that merely contain a dot', () => {
    expect(isIgnoredPath(['__MACOSX', 'cat', '._a.png'])).toBe(true)
    expect(isIgnoredPath(['cat', '.DS_Store'])).toBe(true)
    expect(isIgnoredPath(['cat', 'Thumbs.db'])).toBe(true)
    expect(isIgnoredPath(['.hidden', 'a.png'])).toBe(true)
    expect(isIgnoredPath(['cat', 'a.b.png'])).toBe(false)
  })
})
