// Reads a zip from its central directory (the list a zip tool trusts), inflating one entry at a
// time with node's zlib, capped at the size the entry declares. fflate's unzipSync would inflate
// every entry at once and hides the entries' Unix modes (links); fflate's streaming inflater,
// which could be capped too, took 1.5 s for 10 MB where zlib takes a few milliseconds.
import { readFile } from 'node:fs/promises'
import { promisify } from 'node:util'
import { inflateRaw as inflateRawCallback, inflateRawSync } from 'node:zlib'
import { StepError } from '../../contract'
import { formatBytes } from '../../_lib/format-bytes'
import { MAX_ENTRY_BYTES } from './limits'
import { tooManyEntries, type ArchiveEntry, type ArchiveReader, type EntryContent, type EntryKind } from './archive-types'

interface ZipEntry extends ArchiveEntry {
  compressedSize: number
  method: number
  encrypted: boolean
  localHeaderOffset: number
}

const END_OF_DIRECTORY = 0x06054b50
const ZIP64_LOCATOR = 0x07064b50
const ZIP64_END_OF_DIRECTORY = 0x06064b50
const DIRECTORY_HEADER = 0x02014b50
const LOCAL_HEADER = 0x04034b50
const inflateRaw = promisify(inflateRawCallback)
/** entries up to this size inflate synchronously: about a millisecond each */
const SYNC_INFLATE_BYTES = 1024 * 1024

export async function openZip(path: string): Promise<ArchiveReader> {
  const data = await readFile(path)
  let entries: ZipEntry[] | null = null
  return {
    format: 'zip',
    async list(maxEntries) {
      entries = readDirectory(data, maxEntries)
      return entries
    },
    async read(wanted, onEntry, budget) {
      for (const entry of entries ?? readDirectory(data, Number.MAX_SAFE_INTEGER)) {
        budget.check()
        if (entry.kind !== 'file' || !wanted(entry)) continue
        await onEntry(entry, await unpack(data, entry, (n) => budget.take(n)))
      }
    },
  }
}

function broken(why: string): StepError {
  return new StepError(`The zip archive could not be read: ${why}.`)
}

function readDirectory(data: Buffer, maxEntries: number): ZipEntry[] {
  const end = findEndOfDirectory(data)
  let count = data.readUInt16LE(end + 10)
  let offset = data.readUInt32LE(end + 16)
  const locator = end - 20
  if (locator >= 0 && data.readUInt32LE(locator) === ZIP64_LOCATOR) {
    const zip64End = Number(data.readBigUInt64LE(locator + 8))
    if (zip64End + 56 > data.length || data.readUInt32LE(zip64End) !== ZIP64_END_OF_DIRECTORY) throw broken('its zip64 directory is damaged')
    count = Number(data.readBigUInt64LE(zip64End + 32))
    offset = Number(data.readBigUInt64LE(zip64End + 48))
  }
  // the count is declared before any entry is parsed: a bomb of a million empty entries stops here
  if (count > maxEntries) throw tooManyEntries(count, maxEntries)
  const entries: ZipEntry[] = []
  for (let i = 0; i < count; i++) {
    if (offset + 46 > data.length || data.readUInt32LE(offset) !== DIRECTORY_HEADER) throw broken(`its directory is damaged at entry ${i + 1}`)
    const { entry, next } = readDirectoryHeader(data, offset)
    entries.push(entry)
    offset = next
  }
  return entries
}

function findEndOfDirectory(data: Buffer): number {
  // the end record is 22 bytes plus a comment of at most 65,535
  const lowest = Math.max(0, data.length - 22 - 0xffff)
  for (let at = data.length - 22; at >= lowest; at--) {
    if (data.readUInt32LE(at) === END_OF_DIRECTORY) return at
  }
  throw broken('it has no central directory (is it cut short?)')
}

function readDirectoryHeader(data: Buffer, at: number): { entry: ZipEntry; next: number } {
  const madeBy = data.readUInt16LE(at + 4) >> 8
  const flags = data.readUInt16LE(at + 8)
  const method = data.readUInt16LE(at + 10)
  let compressedSize = data.readUInt32LE(at + 20)
  let size = data.readUInt32LE(at + 24)
  const nameLength = data.readUInt16LE(at + 28)
  const extraLength = data.readUInt16LE(at + 30)
  const commentLength = data.readUInt16LE(at + 32)
  const unixMode = madeBy === 3 ? data.readUInt32LE(at + 38) >>> 16 : 0
  let localHeaderOffset = data.readUInt32LE(at + 42)
  const nameStart = at + 46
  if (nameStart + nameLength + extraLength > data.length) throw broken('its directory is cut short')
  const name = data.toString(flags & 0x800 ? 'utf8' : 'latin1', nameStart, nameStart + nameLength)

  // zip64: the fields set to 0xFFFFFFFF are in the 0x0001 extra field, in this order
  const extra = data.subarray(nameStart + nameLength, nameStart + nameLength + extraLength)
  for (let p = 0; p + 4 <= extra.length; ) {
    const id = extra.readUInt16LE(p)
    const length = extra.readUInt16LE(p + 2)
    if (id === 0x0001) {
      let q = p + 4
      const next64 = () => {
        const value = q + 8 <= p + 4 + length ? Number(extra.readBigUInt64LE(q)) : 0
        q += 8
        return value
      }
      if (size === 0xffffffff) size = next64()
      if (compressedSize === 0xffffffff) compressedSize = next64()
      if (localHeaderOffset === 0xffffffff) localHeaderOffset = next64()
    }
    p += 4 + length
  }
  const entry: ZipEntry = {
    name,
    kind: kindOf(name, unixMode),
    size,
    compressedSize,
    method,
    encrypted: (flags & 1) === 1,
    localHeaderOffset,
  }
  return { entry, next: nameStart + nameLength + extraLength + commentLength }
}

function kindOf(name: string, unixMode: number): EntryKind {
  if (name.endsWith('/') || name.endsWith('\\')) return 'directory'
  const type = unixMode & 0o170000
  if (type === 0 || type === 0o100000) return 'file'
  if (type === 0o040000) return 'directory'
  if (type === 0o120000) return 'link'
  return 'other'
}

async function unpack(data: Buffer, entry: ZipEntry, take: (bytes: number) => void): Promise<EntryContent> {
  if (entry.encrypted) return { problem: 'is encrypted; Pipewright reads only unencrypted archives' }
  if (entry.size > MAX_ENTRY_BYTES) return { problem: `declares ${formatBytes(entry.size)}, over the ${formatBytes(MAX_ENTRY_BYTES)} one image may have` }
  const at = entry.localHeaderOffset
  if (at + 30 > data.length || data.readUInt32LE(at) !== LOCAL_HEADER) return { problem: 'cannot be found where the zip directory says it is' }
  const start = at + 30 + data.readUInt16LE(at + 26) + data.readUInt16LE(at + 28)
  const packed = data.subarray(start, start + entry.compressedSize)
  if (packed.length < entry.compressedSize) return { problem: 'is cut short (the archive ends inside it)' }
  if (entry.method === 0) {
    take(packed.length)
    return packed.length === entry.size ? { bytes: Buffer.from(packed) } : { problem: 'is damaged: its stored size does not match its header' }
  }
  if (entry.method !== 8) return { problem: `uses compression method ${entry.method}; only stored and deflated entries are read` }
  return inflateEntry(packed, entry, take)
}

async function inflateEntry(packed: Uint8Array, entry: ZipEntry, take: (bytes: number) => void): Promise<EntryContent> {
  let bytes: Buffer
  try {
    // zlib stops as soon as the output would pass the declared size, however far the input goes;
    // a small entry inflates in place (a trip to the thread pool costs more than it), a big one off the event loop
    const options = { maxOutputLength: Math.max(1, entry.size) }
    bytes = entry.size <= SYNC_INFLATE_BYTES ? inflateRawSync(packed, options) : await inflateRaw(packed, options)
  } catch (error) {
    if (isCode(error, 'ERR_BUFFER_TOO_LARGE')) {
      throw new StepError(
        `The archive was refused: its entry ${JSON.stringify(entry.name)} inflates to more than the ${formatBytes(entry.size)} its header declares ` +
          '(a zip bomb?). Inflating stopped there. Nothing was stored.',
      )
    }
    return { problem: `cannot be inflated (${error instanceof Error ? error.message : String(error)})` }
  }
  take(bytes.length)
  if (bytes.length !== entry.size) return { problem: `is damaged: it inflates to ${bytes.length} bytes, not the ${entry.size} its header declares` }
  return { bytes }
}

function isCode(error: unknown, code: string): boolean {
  return error instanceof Error && 'code' in error && error.code === code
}
