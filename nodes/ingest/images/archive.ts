// Opens an uploaded archive by what its bytes are (not its name), and vets its listing before a
// single entry is unpacked: zip-slip names, entry count, declared sizes and compression ratio.
import { open, stat } from 'node:fs/promises'
import { StepError } from '../../contract'
import { formatBytes } from '../../_lib/format-bytes'
import { MAX_COMPRESSION_RATIO, RATIO_CHECK_FLOOR_BYTES, type ArchiveLimits } from './limits'
import { overDeclaredLimit, type ArchiveEntry, type ArchiveFormat, type ArchiveReader } from './archive-types'
import { isIgnoredPath, safeSegments } from './entry-paths'
import { openTar } from './tar-reader'
import { openZip } from './zip-reader'

/** A file entry worth reading: its name split into safe segments. */
export interface ListedFile {
  entry: ArchiveEntry
  /** the entry's path with `/` separators, as shown to the user and kept in the `file` column */
  path: string
  segments: string[]
}

export interface Listing {
  reader: ArchiveReader
  files: ListedFile[]
  /** entries skipped on purpose: macOS metadata, hidden files, links, devices */
  ignored: { hidden: number; links: number }
}

export async function detectFormat(path: string, displayName: string): Promise<ArchiveFormat> {
  const head = Buffer.alloc(512)
  const handle = await open(path, 'r')
  let length: number
  try {
    length = (await handle.read(head, 0, 512, 0)).bytesRead
  } finally {
    await handle.close()
  }
  if (length === 0) throw new StepError(`${displayName} is empty (0 bytes); upload a zip, tar or tar.gz archive of images.`)
  if (head[0] === 0x50 && head[1] === 0x4b && (head[2] === 3 || head[2] === 5) && (head[3] === 4 || head[3] === 6)) return 'zip'
  if (head[0] === 0x1f && head[1] === 0x8b) return 'tar.gz'
  if (length >= 262 && head.toString('latin1', 257, 262) === 'ustar') return 'tar'
  throw new StepError(
    `${displayName} is not a zip, tar or tar.gz archive (its first bytes are ${[...head.subarray(0, 4)].map((b) => b.toString(16).padStart(2, '0')).join(' ')}). ` +
      'Upload the images packed as .zip, .tar, .tar.gz or .tgz.',
  )
}

export async function listArchive(path: string, displayName: string, limits: ArchiveLimits): Promise<Listing> {
  const format = await detectFormat(path, displayName)
  const reader = format === 'zip' ? await openZip(path) : openTar(path, format === 'tar.gz', limits)
  const entries = await reader.list(limits.maxEntries)
  const files: ListedFile[] = []
  const ignored = { hidden: 0, links: 0 }
  let declared = 0
  for (const entry of entries) {
    // every name is checked, even of entries that would be ignored: an archive with one is hostile
    const segments = safeSegments(entry.name)
    if (entry.kind === 'link' || entry.kind === 'other') {
      ignored.links++
      continue
    }
    if (entry.kind !== 'file' || segments.length === 0) continue
    if (isIgnoredPath(segments)) {
      ignored.hidden++
      continue
    }
    declared += entry.size
    files.push({ entry, path: segments.join('/'), segments })
  }
  if (declared > limits.maxUnpackedBytes) throw overDeclaredLimit(declared, limits.maxUnpackedBytes)
  for (const file of files) checkRatio(file.entry)
  if (format === 'tar.gz') await checkWholeRatio(path, declared)
  return { reader, files, ignored }
}

function bombMessage(what: string, ratio: number): StepError {
  return new StepError(
    `The archive was refused: ${what} is compressed ${Math.round(ratio).toLocaleString('en-US')}:1, over the ${MAX_COMPRESSION_RATIO}:1 ` +
      'that images and label files reach (a zip bomb?). Nothing was unpacked or stored.',
  )
}

function checkRatio(entry: ArchiveEntry): void {
  if (entry.compressedSize === null || entry.size < RATIO_CHECK_FLOOR_BYTES) return
  const ratio = entry.size / Math.max(1, entry.compressedSize)
  if (ratio > MAX_COMPRESSION_RATIO) throw bombMessage(`its entry ${JSON.stringify(entry.name)} (${formatBytes(entry.size)})`, ratio)
}

/** gzip compresses the tar as a whole, so the ratio is of the whole archive. */
async function checkWholeRatio(path: string, declared: number): Promise<void> {
  if (declared < RATIO_CHECK_FLOOR_BYTES) return
  const ratio = declared / Math.max(1, (await stat(path)).size)
  if (ratio > MAX_COMPRESSION_RATIO) throw bombMessage(`its content (${formatBytes(declared)})`, ratio)
}
