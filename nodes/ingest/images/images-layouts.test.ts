import { describe, expect, it } from 'vitest'
import sharp from 'sharp'
import { image, tarGzOf, tarOf, useArchiveKit, zipOf } from './test-archives'

const { ingestArchive, ingestRefused } = useArchiveKit()

const labelsOf = (rows: Record<string, unknown>[]) => rows.map((r) => [r.file, r.label])

describe('images source: one folder per label', () => {
  it('labels each image by its folder, keeps PNG and JPEG as uploaded, with their sizes', async () => {
    const cat = await image('png', 20, 10, 10)
    const dog = await image('jpeg', 32, 24, 200)
    const { rows, quarantine, t } = await ingestArchive('pets.zip', zipOf({ 'cat/1.png': cat, 'dog/2.jpg': dog }))
    expect(rows.map((r) => [r.file, r.label, r.width, r.height, r.boxes])).toEqual([
      ['cat/1.png', 'cat', 20, 10, []],
      ['dog/2.jpg', 'dog', 32, 24, []],
    ])
    const kept = rows.map((r) => t.blobs.get(r.image as string)!)
    expect(kept.map((b) => b.mediaType)).toEqual(['image/png', 'image/jpeg'])
    // the bytes are the upload's, not re-encoded
    const { readFile } = await import('node:fs/promises')
    expect(Buffer.compare(await readFile(kept[0]!.path), cat)).toBe(0)
    expect(Buffer.compare(await readFile(kept[1]!.path), dog)).toBe(0)
    expect(quarantine).toEqual([])
  })

  it('skips the single wrapping folder a zipped folder has, and reads label folders nested below it', async () => {
    const png = await image('png')
    const { rows } = await ingestArchive(
      'dataset.zip',
      zipOf({ 'dataset/': '', 'dataset/ok/a.png': png, 'dataset/ok/close-ups/b.png': await image('png', 8, 8), 'dataset/scratch/c.png': await image('png', 9, 9) }),
    )
    expect(labelsOf(rows)).toEqual([
      ['dataset/ok/a.png', 'ok'],
      ['dataset/ok/close-ups/b.png', 'ok'],
      ['dataset/scratch/c.png', 'scratch'],
    ])
  })

  it('takes a single top folder holding the images itself as their label', async () => {
    const { rows } = await ingestArchive('only-cats.tar', await tarOf({ 'cat/a.png': await image('png'), 'cat/b.png': await image('png', 5, 5) }))
    expect(labelsOf(rows)).toEqual([
      ['cat/a.png', 'cat'],
      ['cat/b.png', 'cat'],
    ])
  })

  it('reads tar and tar.gz as well as zip, told apart by their bytes, not their names', async () => {
    const files = { 'a/x.png': await image('png'), 'b/y.jpeg': await image('jpeg') }
    for (const [name, archive] of [
      ['images.tar', await tarOf(files)],
      ['images.tgz', await tarGzOf(files)],
      ['images.tar.gz', await tarGzOf(files)],
      ['misnamed.zip', await tarGzOf(files)],
      ['no-extension', zipOf(files)],
    ] as const) {
      const { rows } = await ingestArchive(name, archive)
      expect(labelsOf(rows), name).toEqual([
        ['a/x.png', 'a'],
        ['b/y.jpeg', 'b'],
      ])
    }
  })

  it('reads a tar made with `tar -C folder .`, whose names start with ./', async () => {
    const { rows } = await ingestArchive('dot.tar', await tarOf({ './ok/a.png': await image('png'), './scratch/b.png': await image('png', 6, 6) }, [{ name: './', type: 'directory' }]))
    expect(labelsOf(rows)).toEqual([
      ['ok/a.png', 'ok'],
      ['scratch/b.png', 'scratch'],
    ])
  })

  it('keeps WebP too, with its media type', async () => {
    const { rows, t } = await ingestArchive('w.zip', zipOf({ 'leaf/a.webp': await image('webp', 10, 7) }))
    expect(rows.map((r) => [r.label, r.width, r.height])).toEqual([['leaf', 10, 7]])
    expect(t.blobs.get(rows[0]!.image as string)!.mediaType).toBe('image/webp')
  })

  it('sends an image at the root, outside any label folder, to quarantine', async () => {
    const { rows, quarantine } = await ingestArchive('mixed.zip', zipOf({ 'loose.png': await image('png'), 'cat/a.png': await image('png', 4, 4) }))
    expect(labelsOf(rows)).toEqual([['cat/a.png', 'cat']])
    expect(quarantine).toEqual([{ file: 'loose.png', _reasons: [expect.stringContaining('not inside a label folder')] }])
  })
})

describe('images source: quarantine', () => {
  it('sets aside a corrupt image, a text file named .png, an empty file and a GIF, each with its reason', async () => {
    const png = await image('png', 64, 64)
    const jpeg = await image('jpeg', 64, 64)
    const { rows, quarantine } = await ingestArchive(
      'bad.zip',
      zipOf({
        'ok/good.png': png,
        'ok/truncated.png': png.subarray(0, Math.floor(png.length / 2)),
        'ok/truncated.jpg': jpeg.subarray(0, Math.floor(jpeg.length * 0.8)),
        'ok/notes.png': 'this is a text file, not a picture',
        'ok/empty.jpg': '',
        'ok/anim.gif': await image('gif'),
      }),
    )
    expect(labelsOf(rows)).toEqual([['ok/good.png', 'ok']])
    expect(Object.fromEntries(quarantine.map((q) => [q.file, q._reasons]))).toEqual({
      'ok/anim.gif': ['is a GIF image; only PNG, JPEG and WebP are read'],
      'ok/empty.jpg': ['is empty (0 bytes)'],
      'ok/notes.png': ['is not an image (its bytes are not PNG, JPEG or WebP)'],
      'ok/truncated.jpg': [expect.stringMatching(/^is a corrupt or truncated JPEG \(.+\)$/)],
      'ok/truncated.png': [expect.stringMatching(/^is a corrupt or truncated PNG \(.+\)$/)],
    })
  })

  it('fails the step, naming the reasons, when not one image could be read', async () => {
    const { message, t } = await ingestRefused('junk.zip', zipOf({ 'a/readme.png': 'text', 'a/empty.png': '' }))
    expect(message).toMatch(/^No image in "junk\.zip" could be read: 2 files were set aside, e\.g\. a\/empty\.png is empty \(0 bytes\)/)
    expect(t.blobs.size).toBe(0)
  })

  it('fails the step on an archive with no files at all', async () => {
    const { message } = await ingestRefused('empty.zip', zipOf({ 'just-a-folder/': '' }))
    expect(message).toBe('No image in "empty.zip" could be read: it holds no files.')
  })
})

describe('images source: labels.csv', () => {
  it('labels images from labels.csv, matching its header case-insensitively, with boxes from x, y, w, h', async () => {
    const csv = 'File Name,Label,X,Y,W,H\n' + 'img/a.png,scratch,1,2,3,4\n' + 'img/a.png,dust,5,5,2,2\n' + '"img/b.jpg",ok,,,,\n'
    const { rows, quarantine } = await ingestArchive(
      'det.zip',
      zipOf({ 'labels.csv': csv.replace('File Name', 'FILENAME'), 'img/a.png': await image('png', 20, 20), 'img/b.jpg': await image('jpeg', 10, 10) }),
    )
    expect(rows.map((r) => [r.file, r.label, r.boxes])).toEqual([
      ['img/a.png', 'scratch', [{ label: 'scratch', x: 1, y: 2, w: 3, h: 4 }, { label: 'dust', x: 5, y: 5, w: 2, h: 2 }]],
      ['img/b.jpg', 'ok', []],
    ])
    expect(quarantine).toEqual([])
  })

  it('reads a boxes JSON column, and paths relative to a wrapping folder', async () => {
    const csv = 'path;class;boxes\n' + 'a.png;dent;"[{""x"":0,""y"":0,""w"":4,""h"":4},{""label"":""dust"",""x"":1,""y"":1,""w"":1,""h"":1}]"\r\n'
    const { rows } = await ingestArchive('wrapped.tar.gz', await tarGzOf({ 'set/labels.csv': csv, 'set/a.png': await image('png', 8, 8) }))
    expect(rows.map((r) => [r.file, r.label, r.boxes])).toEqual([
      ['set/a.png', 'dent', [{ label: 'dent', x: 0, y: 0, w: 4, h: 4 }, { label: 'dust', x: 1, y: 1, w: 1, h: 1 }]],
    ])
  })

  it('quarantines images it does not list, listed files the archive lacks, empty labels and boxes outside the image', async () => {
    const csv = [
      'file,label,x,y,w,h',
      'a.png,ok,,,,',
      'b.png,,,,,',
      'c.png,scratch,5,5,10,10',
      'd.png,scratch,one,2,3,4',
      'gone.png,ok,,,,',
      ',ok,,,,',
    ].join('\n')
    const png = await image('png', 8, 8)
    const { rows, quarantine } = await ingestArchive(
      'partial.zip',
      zipOf({ 'labels.csv': csv, 'a.png': png, 'b.png': png, 'c.png': png, 'd.png': png, 'extra.png': png }),
    )
    expect(labelsOf(rows)).toEqual([['a.png', 'ok']])
    expect(Object.fromEntries(quarantine.map((q) => [q.file, q._reasons]))).toEqual({
      'b.png': ['has an empty label in labels.csv (line 3)'],
      'c.png': ['box 1 (scratch) at x 5, y 5, w 10, h 10 lies outside the 8×8 image'],
      'd.png': ['labels.csv line 5: the box columns x, y, w, h must all be numbers (got "one", "2", "3", "4")'],
      'extra.png': ['is not listed in labels.csv'],
      'gone.png': ['is listed in labels.csv (line 6) but is not in the archive'],
      'labels.csv line 7': ['labels.csv line 7 has no file name'],
    })
  })

  it('fails the step when labels.csv has no file or no label column', async () => {
    const png = await image('png')
    const noFile = await ingestRefused('a.zip', zipOf({ 'labels.csv': 'name,label\na.png,ok\n', 'a.png': png }))
    expect(noFile.message).toBe('labels.csv needs a file column (file, filename or path); its header is: "name", "label".')
    const noLabel = await ingestRefused('b.zip', zipOf({ 'LABELS.CSV': 'file,kind\na.png,ok\n', 'a.png': png }))
    expect(noLabel.message).toBe('LABELS.CSV needs a label column (label or class); its header is: "file", "kind".')
  })
})

describe('images source: config', () => {
  it('checks the artifact id and the limits', async () => {
    const { ingestConfig } = await import('../definition')
    const parse = (source: Record<string, unknown>) => ingestConfig.safeParse({ source: { type: 'images', ...source } })
    expect(parse({ artifactId: 'x'.repeat(64) }).success).toBe(false)
    expect(parse({ artifactId: 'a'.repeat(64), maxEntries: 50_001 }).success).toBe(false)
    expect(parse({ artifactId: 'a'.repeat(64), maxUnpackedMiB: 0 }).success).toBe(false)
    expect(parse({ artifactId: 'a'.repeat(64), maxUnpackedMiB: 2049 }).success).toBe(false)
    const ok = parse({ artifactId: 'a'.repeat(64) })
    expect(ok.success && ok.data.source).toEqual({ type: 'images', artifactId: 'a'.repeat(64), maxEntries: 50_000, maxUnpackedMiB: 2048 })
  })

  it('keeps a decoded image the same size it says it is', async () => {
    const { rows, t } = await ingestArchive('s.zip', zipOf({ 'a/x.jpg': await image('jpeg', 33, 17) }))
    const meta = await sharp(t.blobs.get(rows[0]!.image as string)!.path).metadata()
    expect([meta.width, meta.height]).toEqual([rows[0]!.width, rows[0]!.height])
  })
})
