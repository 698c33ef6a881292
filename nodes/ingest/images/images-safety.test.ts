import { randomBytes } from 'node:crypto'
import { zipSync } from 'fflate'
import { describe, expect, it } from 'vitest'
import { image, lieAboutSize, patchEntry, tarGzOf, tarOf, useArchiveKit, zipOf } from './test-archives'

const { ingestArchive, ingestRefused } = useArchiveKit()

/** Nothing half-stored: no blob was kept and no output was written. */
function expectNothingKept(t: { blobs: ReadonlyMap<string, unknown>; outputs: Record<string, unknown> }) {
  expect(t.blobs.size).toBe(0)
  expect(Object.keys(t.outputs)).toEqual([])
}

describe('images source: zip-slip', () => {
  it.each([
    ['../evil.png', 'points outside the archive with ".."'],
    ['cat/../../evil.png', 'points outside the archive with ".."'],
    ['/etc/evil.png', 'is an absolute path'],
    ['C:/Windows/evil.png', 'starts with a drive letter'],
    ['cat/C:evil.png', 'has a drive letter inside its path'],
    ['cat\\..\\..\\evil.png', 'points outside the archive with ".."'],
    ['\\\\server\\share\\evil.png', 'is an absolute path'],
  ])('refuses the whole zip for an entry named %s, and keeps nothing', async (name, why) => {
    const { message, t } = await ingestRefused('slip.zip', zipOf({ 'cat/a.png': await image('png'), [name]: await image('png', 3, 3) }))
    expect(message).toBe(`The archive was refused: its entry ${JSON.stringify(name)} ${why} (a "zip-slip" entry). Nothing was stored.`)
    expectNothingKept(t)
  })

  it('refuses a tar with a ".." entry, even one that is a folder or a hidden file', async () => {
    for (const name of ['../up/', 'ok/../../.hidden']) {
      const { message, t } = await ingestRefused('slip.tar', await tarOf({ 'cat/a.png': await image('png') }, [{ name, type: name.endsWith('/') ? 'directory' : 'file' }]))
      expect(message).toContain(`its entry ${JSON.stringify(name)} points outside the archive`)
      expectNothingKept(t)
    }
  })

  it('refuses a tar.gz with an absolute path', async () => {
    const { message } = await ingestRefused('abs.tgz', await tarGzOf({ '/tmp/x.png': await image('png'), 'a/b.png': await image('png') }))
    // tar-stream keeps the leading slash as the archive has it
    expect(message).toMatch(/^The archive was refused: its entry "\/tmp\/x\.png" is an absolute path/)
  })
})

describe('images source: what is ignored', () => {
  it('ignores __MACOSX, .DS_Store, hidden files and hidden folders', async () => {
    const png = await image('png')
    const { rows, quarantine, t } = await ingestArchive(
      'mac.zip',
      zipOf({
        'photos/cat/a.png': png,
        'photos/.DS_Store': 'binary junk',
        'photos/cat/._a.png': 'resource fork',
        '__MACOSX/photos/cat/._a.png': 'resource fork',
        'photos/.git/config': '[core]',
        'photos/.cache/cat/b.png': png,
      }),
    )
    expect(rows.map((r) => [r.file, r.label])).toEqual([['photos/cat/a.png', 'cat']])
    expect(quarantine).toEqual([])
    expect(t.logs.some((l) => /5 hidden or macOS metadata files ignored/.test(l.message))).toBe(true)
  })

  it('ignores symlinks, hard links and device entries in a tar, never following them', async () => {
    const { rows, t } = await ingestArchive(
      'links.tar',
      await tarOf({ 'cat/a.png': await image('png') }, [
        { name: 'cat/passwd.png', type: 'symlink', linkname: '/etc/passwd' },
        { name: 'cat/hard.png', type: 'link', linkname: 'cat/a.png' },
        { name: 'cat/dev.png', type: 'character-device', devmajor: 1, devminor: 3 },
      ]),
    )
    expect(rows.map((r) => r.file)).toEqual(['cat/a.png'])
    expect(t.logs.some((l) => /3 link or device entries ignored/.test(l.message))).toBe(true)
  })

  it('ignores a symlink in a zip (a Unix mode of 0o120000)', async () => {
    const zip = Buffer.from(
      zipSync({ 'cat/a.png': await image('png'), 'cat/link.png': [Buffer.from('/etc/passwd'), { os: 3, attrs: (0o120777 << 16) >>> 0 }] }),
    )
    const { rows, quarantine } = await ingestArchive('link.zip', zip)
    expect(rows.map((r) => r.file)).toEqual(['cat/a.png'])
    expect(quarantine).toEqual([])
  })
})

describe('images source: zip entries it cannot unpack', () => {
  it('quarantines an encrypted entry and one with a compression method other than stored or deflate', async () => {
    const zip = zipOf({ 'cat/a.png': await image('png'), 'cat/locked.png': await image('png', 5, 5), 'cat/bzip2.png': await image('png', 6, 6) })
    patchEntry(zip, 'cat/locked.png', { local: 6, central: 8 }, (flags) => flags | 1)
    patchEntry(zip, 'cat/bzip2.png', { local: 8, central: 10 }, () => 12)
    const { rows, quarantine } = await ingestArchive('odd.zip', zip)
    expect(rows.map((r) => r.file)).toEqual(['cat/a.png'])
    expect(Object.fromEntries(quarantine.map((q) => [q.file, q._reasons]))).toEqual({
      'cat/bzip2.png': ['uses compression method 12; only stored and deflated entries are read'],
      'cat/locked.png': ['is encrypted; Pipewright reads only unencrypted archives'],
    })
  })
})

describe('images source: limits', () => {
  it('refuses an archive with more entries than the limit, before unpacking any', async () => {
    const png = await image('png', 2, 2)
    const files = Object.fromEntries(Array.from({ length: 11 }, (_, i) => [`cat/${i}.png`, png]))
    const zip = await ingestRefused('many.zip', zipOf(files), { maxEntries: 10 })
    expect(zip.message).toBe('The archive was refused: it has 11 entries, over the limit of 10. Split it into smaller archives. Nothing was stored.')
    expectNothingKept(zip.t)
    const tar = await ingestRefused('many.tar', await tarOf(files), { maxEntries: 10 })
    expect(tar.message).toBe('The archive was refused: it has more than 10 entries, over the limit of 10. Split it into smaller archives. Nothing was stored.')
    // exactly at the limit is fine
    const { rows } = await ingestArchive('ten.zip', zipOf(Object.fromEntries(Object.entries(files).slice(0, 10))), { maxEntries: 10 })
    expect(rows).toHaveLength(10)
  })

  it('refuses a zip bomb of zeros by its declared size, before inflating it', async () => {
    const zeros = new Uint8Array(3 * 1024 ** 2)
    const bomb = zipOf({ 'cat/a.png': await image('png'), 'cat/zeros.png': zeros })
    expect(bomb.length).toBeLessThan(20_000)
    const { message, t } = await ingestRefused('bomb.zip', bomb, { maxUnpackedMiB: 2 })
    expect(message).toBe('The archive was refused: its files would unpack to 3.0 MiB, over the limit of 2 MiB. Nothing was unpacked or stored; split it into smaller archives.')
    expectNothingKept(t)
  })

  it('refuses a zip entry compressed far more than images are, even under the size limit', async () => {
    const { message, t } = await ingestRefused('ratio.zip', zipOf({ 'cat/a.png': await image('png'), 'cat/zeros.png': new Uint8Array(4 * 1024 ** 2) }))
    expect(message).toMatch(/^The archive was refused: its entry "cat\/zeros\.png" \(4 MiB\) is compressed [\d,]+:1, over the 100:1 that images and label files reach \(a zip bomb\?\)/)
    expectNothingKept(t)
  })

  it('stops inflating a zip entry that holds more than its header declares', async () => {
    const zip = zipOf({ 'cat/a.png': await image('png'), 'cat/liar.png': new Uint8Array(200_000) })
    lieAboutSize(zip, 'cat/liar.png', 1000)
    const { message, t } = await ingestRefused('liar.zip', zip)
    expect(message).toBe(
      'The archive was refused: its entry "cat/liar.png" inflates to more than the 1000 B its header declares (a zip bomb?). Inflating stopped there. Nothing was stored.',
    )
    // cat/a.png was staged before the liar was found; a failed step publishes none of what it staged
    expect(Object.keys(t.outputs)).toEqual([])
  })

  it('stops inflating a big entry (inflated off the event loop) that holds more than it declares', async () => {
    const zip = zipOf({ 'cat/a.png': await image('png'), 'cat/noise.png': randomBytes(3 * 1024 ** 2) })
    lieAboutSize(zip, 'cat/noise.png', 2 * 1024 ** 2)
    const { message } = await ingestRefused('big-liar.zip', zip)
    expect(message).toContain('its entry "cat/noise.png" inflates to more than the 2 MiB its header declares')
  })

  it('refuses a tar.gz whose headers declare more than the limit, and one compressed like a bomb', async () => {
    const zeros = new Uint8Array(3 * 1024 ** 2)
    const big = await ingestRefused('big.tgz', await tarGzOf({ 'cat/zeros.png': zeros }), { maxUnpackedMiB: 2 })
    expect(big.message).toBe(
      'The archive was refused: its files would unpack to more than the limit of 2 MiB. Nothing was unpacked or stored; split it into smaller archives.',
    )
    const dense = await ingestRefused('dense.tgz', await tarGzOf({ 'cat/a.png': await image('png'), 'cat/zeros.png': zeros }))
    expect(dense.message).toMatch(/^The archive was refused: its content \(3\.0 MiB\) is compressed [\d,]+:1, over the 100:1/)
    expectNothingKept(dense.t)
  })

  it('says so when the upload is not an archive at all, or is empty', async () => {
    const notArchive = await ingestRefused('photos.zip', Buffer.from('hello, I am a text file'))
    expect(notArchive.message).toBe(
      '"photos.zip" is not a zip, tar or tar.gz archive (its first bytes are 68 65 6c 6c). Upload the images packed as .zip, .tar, .tar.gz or .tgz.',
    )
    const empty = await ingestRefused('empty.tar', Buffer.alloc(0))
    expect(empty.message).toBe('"empty.tar" is empty (0 bytes); upload a zip, tar or tar.gz archive of images.')
  })

  it('says so when a zip is cut short or a tar.gz is not gzip inside', async () => {
    const zip = zipOf({ 'cat/a.png': await image('png') })
    const cut = await ingestRefused('cut.zip', zip.subarray(0, zip.length - 30))
    expect(cut.message).toMatch(/^The zip archive could not be read: /)
    const gz = await ingestRefused('bad.tgz', Buffer.from([0x1f, 0x8b, 8, 0, 1, 2, 3, 4, 5, 6, 7, 8]))
    expect(gz.message).toMatch(/^The archive could not be read: it is not valid gzip|^The archive could not be read as a tar/)
  })
})
