// Reads a tar or tar.gz by streaming it (twice: once to list, once to read), never all at once.
// A tar header's size is exact (the reader takes that many bytes), so the only way to unpack more
// than declared is the gzip layer: its output is counted and cut off past the budget.
import { createReadStream } from 'node:fs'
import { Transform, type Readable } from 'node:stream'
import { createGunzip } from 'node:zlib'
import { extract, type Header } from 'tar-stream'
import { StepError } from '../../contract'
import { formatBytes } from '../../_lib/format-bytes'
import { MAX_ENTRY_BYTES, type ArchiveLimits } from './limits'
import { overDeclaredLimit, tooManyEntries, type ArchiveEntry, type ArchiveReader, type EntryKind } from './archive-types'

/** per entry, a tar adds a 512-byte header and up to 511 bytes of padding (and pax headers for long names) */
const TAR_OVERHEAD_PER_ENTRY = 2048

export function openTar(path: string, gzipped: boolean, limits: ArchiveLimits): ArchiveReader {
  const format = gzipped ? 'tar.gz' : 'tar'
  const streamCap = limits.maxUnpackedBytes + TAR_OVERHEAD_PER_ENTRY * (limits.maxEntries + 10)
  return {
    format,
    async list(maxEntries) {
      const entries: ArchiveEntry[] = []
      let declared = 0
      await walk(path, gzipped, streamCap, async (header, stream) => {
        if (entries.length >= maxEntries) throw tooManyEntries(`more than ${maxEntries.toLocaleString('en-US')}`, maxEntries)
        const entry = entryOf(header)
        // a header declaring too much stops the listing before its bytes are inflated
        if (entry.kind === 'file') declared += entry.size
        if (declared > limits.maxUnpackedBytes) throw overDeclaredLimit(null, limits.maxUnpackedBytes)
        entries.push(entry)
        stream.resume()
      })
      return entries
    },
    async read(wanted, onEntry, budget) {
      await walk(path, gzipped, streamCap, async (header, stream) => {
        budget.check()
        const entry = entryOf(header)
        if (entry.kind !== 'file' || !wanted(entry)) return void stream.resume()
        if (entry.size > MAX_ENTRY_BYTES) {
          stream.resume()
          return onEntry(entry, { problem: `is ${formatBytes(entry.size)}, over the ${formatBytes(MAX_ENTRY_BYTES)} one image may have` })
        }
        const chunks: Buffer[] = []
        for await (const chunk of stream as AsyncIterable<Buffer>) {
          budget.take(chunk.length)
          chunks.push(chunk)
        }
        await onEntry(entry, { bytes: Buffer.concat(chunks) })
      })
    },
  }
}

function entryOf(header: Header): ArchiveEntry {
  return { name: header.name, kind: kindOf(header.type), size: header.size ?? 0, compressedSize: null }
}

function kindOf(type: Header['type'] | null): EntryKind {
  switch (type) {
    case 'file':
    case 'contiguous-file':
      return 'file'
    case 'directory':
      return 'directory'
    case 'link':
    case 'symlink':
      return 'link'
    default:
      return 'other'
  }
}

/** Streams the archive through tar-stream, calling `each` per entry; any error ends the walk. */
async function walk(path: string, gzipped: boolean, maxStreamBytes: number, each: (header: Header, stream: Readable) => Promise<void>): Promise<void> {
  const source = createReadStream(path)
  const gunzip = gzipped ? createGunzip() : null
  const cap = byteCap(maxStreamBytes)
  const tar = extract()
  const fail = (error: Error) => tar.destroy(error)
  source.on('error', fail)
  gunzip?.on('error', (error) => fail(new StepError(`The archive could not be read: it is not valid gzip (${error.message}).`)))
  cap.on('error', fail)
  ;(gunzip ? source.pipe(gunzip).pipe(cap) : source.pipe(cap)).pipe(tar as unknown as NodeJS.WritableStream)
  try {
    for await (const stream of tar) await each(stream.header, stream as unknown as Readable)
  } catch (error) {
    if (error instanceof StepError) throw error
    const message = error instanceof Error ? error.message : String(error)
    throw new StepError(`The archive could not be read as a tar${gzipped ? ' inside its gzip' : ''}: ${message}.`)
  } finally {
    source.destroy()
    gunzip?.destroy()
    cap.destroy()
  }
}

/** Passes bytes through until `max`, then fails: the gzip layer cannot inflate without bound. */
function byteCap(max: number): Transform {
  let seen = 0
  return new Transform({
    transform(chunk: Buffer, _encoding, done) {
      seen += chunk.length
      if (seen > max) {
        done(
          new StepError(
            `The archive was refused: it unpacks to more than ${formatBytes(max)}, more than its headers declared. ` +
              'Inflating stopped there (a gzip bomb?). Nothing was stored.',
          ),
        )
      } else done(null, chunk)
    },
  })
}
