// Test fixtures: real archives (fflate, tar-stream, node:zlib) of real images (sharp), and the
// ingest executor run over them.
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { gzipSync } from 'node:zlib'
import { zipSync, type Zippable } from 'fflate'
import sharp from 'sharp'
import { pack, type Header } from 'tar-stream'

/** An extra tar entry: its name and whatever else of a header it sets (type, linkname, devices). */
export type TarHeader = Partial<Header> & Pick<Header, 'name'>
import { afterAll, beforeAll, expect } from 'vitest'
import { StepError } from '../../contract'
import { createTestContext, readParquet, type TestRun } from '../../_lib/test-context'
import { ingest, ingestConfig } from '../definition'
import { run } from '../run'

type IngestRun = TestRun<unknown, never, never>

/** A solid-colour image: `fill` decides its pixels, so two images of one size can differ. */
export async function image(format: 'png' | 'jpeg' | 'webp' | 'gif', width = 16, height = 12, fill = 128): Promise<Buffer> {
  return sharp({ create: { width, height, channels: 3, background: { r: fill, g: 255 - fill, b: 40 } } })[format]().toBuffer()
}

export type ArchiveFiles = Record<string, Uint8Array | string>

const bytesOf = (content: Uint8Array | string) => (typeof content === 'string' ? Buffer.from(content) : content)

export function zipOf(files: ArchiveFiles): Buffer {
  const entries: Zippable = {}
  for (const [name, content] of Object.entries(files)) entries[name] = bytesOf(content)
  return Buffer.from(zipSync(entries))
}

/** Rewrites a 16-bit field of one entry's local and central header (at their offsets `local` and `central`). */
export function patchEntry(zip: Buffer, name: string, field: { local: number; central: number }, update: (value: number) => number) {
  for (let at = 0; at + 4 <= zip.length; at++) {
    const signature = zip.readUInt32LE(at)
    if (signature === 0x04034b50 && zip.toString('utf8', at + 30, at + 30 + zip.readUInt16LE(at + 26)) === name) {
      zip.writeUInt16LE(update(zip.readUInt16LE(at + field.local)), at + field.local)
    }
    if (signature === 0x02014b50 && zip.toString('utf8', at + 46, at + 46 + zip.readUInt16LE(at + 28)) === name) {
      zip.writeUInt16LE(update(zip.readUInt16LE(at + field.central)), at + field.central)
    }
  }
}

/** Rewrites the uncompressed size of one entry in both its local and its central header. */
export function lieAboutSize(zip: Buffer, name: string, size: number) {
  for (let at = 0; at + 4 <= zip.length; at++) {
    const signature = zip.readUInt32LE(at)
    if (signature === 0x04034b50 && zip.toString('utf8', at + 30, at + 30 + zip.readUInt16LE(at + 26)) === name) zip.writeUInt32LE(size, at + 22)
    if (signature === 0x02014b50 && zip.toString('utf8', at + 46, at + 46 + zip.readUInt16LE(at + 28)) === name) zip.writeUInt32LE(size, at + 24)
  }
}

/** A tar; `headers` adds entries of other kinds (symlinks, devices) or odd names. */
export async function tarOf(files: ArchiveFiles, headers: TarHeader[] = []): Promise<Buffer> {
  const archive = pack()
  const chunks: Buffer[] = []
  archive.on('data', (chunk: unknown) => {
    if (Buffer.isBuffer(chunk)) chunks.push(chunk)
  })
  const ended = new Promise<void>((resolve) => archive.on('end', () => resolve()))
  for (const header of headers) archive.entry(header, '')
  for (const [name, content] of Object.entries(files)) archive.entry({ name }, Buffer.from(bytesOf(content)))
  archive.finalize()
  await ended
  return Buffer.concat(chunks)
}

export async function tarGzOf(files: ArchiveFiles, headers: TarHeader[] = []): Promise<Buffer> {
  return gzipSync(await tarOf(files, headers))
}

/** Registers a temp folder for the calling test file; runs ingest over an archive as an upload. */
export function useArchiveKit() {
  let dir = ''
  let count = 0
  const runs: IngestRun[] = []
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'ingest-images-'))
  })
  afterAll(async () => {
    await Promise.all(runs.map((r) => r.cleanup()))
    await rm(dir, { recursive: true, force: true })
  })

  async function prepare(filename: string, archive: Buffer, limits: { maxEntries?: number; maxUnpackedMiB?: number } = {}) {
    const path = join(dir, `${count++}-${filename}`)
    await writeFile(path, archive)
    const t = await createTestContext(ingest, { source: { type: 'sample', name: 'penguins' } })
    runs.push(t as unknown as IngestRun)
    const artifactId = await t.addArtifact(path, filename)
    t.ctx.config = ingestConfig.parse({ source: { type: 'images', artifactId, ...limits } })
    return t
  }

  /** Runs ingest; gives the image rows, the quarantine rows and the run. */
  async function ingestArchive(filename: string, archive: Buffer, limits: { maxEntries?: number; maxUnpackedMiB?: number } = {}) {
    const t = await prepare(filename, archive, limits)
    await run(t.ctx)
    return { t, rows: await readParquet(t.outputs.dataset!), quarantine: await readParquet(t.outputs.quarantine!) }
  }

  /** Runs ingest expecting a StepError; gives its message and the run (to check nothing was kept). */
  async function ingestRefused(filename: string, archive: Buffer, limits: { maxEntries?: number; maxUnpackedMiB?: number } = {}) {
    const t = await prepare(filename, archive, limits)
    const error = await run(t.ctx).then(
      () => undefined,
      (e: unknown) => e,
    )
    expect(error).toBeInstanceOf(StepError)
    return { message: (error as StepError).message, t }
  }

  return { ingestArchive, ingestRefused }
}
