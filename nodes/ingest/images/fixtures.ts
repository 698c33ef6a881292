// Fixtures for tests and the benchmark: real archives (fflate, tar-stream, node:zlib) of real
// images (sharp), and ways to damage them. No test runner here, so the benchmark can use it.
import { gzipSync } from 'node:zlib'
import { zipSync, type Zippable } from 'fflate'
import sharp from 'sharp'
import { pack, type Header } from 'tar-stream'

/** An extra tar entry: its name and whatever else of a header it sets (type, linkname, devices). */
export type TarHeader = Partial<Header> & Pick<Header, 'name'>

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
