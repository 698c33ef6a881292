// What every archive reader (zip, tar, tar.gz) hands the images source.
import { StepError } from '../../contract'
import { formatBytes } from '../../_lib/format-bytes'

export type ArchiveFormat = 'zip' | 'tar' | 'tar.gz'

/** `link` covers symlinks and hard links; `other` devices and FIFOs: both are skipped, never read. */
export type EntryKind = 'file' | 'directory' | 'link' | 'other'

export interface ArchiveEntry {
  /** the name as the archive spells it */
  name: string
  kind: EntryKind
  /** unpacked bytes the archive declares */
  size: number
  /** packed bytes, where the format says (zip); null for tar */
  compressedSize: number | null
}

/** An entry's bytes, or why they could not be had (the file goes to quarantine, the archive is fine). */
export type EntryContent = { bytes: Buffer } | { problem: string }

export interface ArchiveReader {
  format: ArchiveFormat
  /** every entry, without unpacking any; refuses an archive listing more than `maxEntries` */
  list(maxEntries: number): Promise<ArchiveEntry[]>
  /** unpacks the entries `wanted` accepts, in archive order, one at a time */
  read(wanted: (entry: ArchiveEntry) => boolean, onEntry: (entry: ArchiveEntry, content: EntryContent) => Promise<void>, budget: UnpackBudget): Promise<void>
}

/**
 * Counts the bytes actually unpacked, whatever the headers declared: a lying header cannot get
 * past it, because inflating stops as soon as the total goes over.
 */
export class UnpackBudget {
  private used = 0
  constructor(
    readonly limit: number,
    private readonly signal: AbortSignal,
  ) {}

  take(bytes: number): void {
    this.used += bytes
    if (this.used > this.limit) {
      throw new StepError(
        `The archive was refused: it unpacks to more than ${formatBytes(this.limit)}, more than its headers declared. ` +
          'Inflating stopped there (a zip bomb?). Nothing was stored.',
      )
    }
  }

  /** called between entries: a canceled run stops unpacking */
  check(): void {
    this.signal.throwIfAborted()
  }
}

export function tooManyEntries(count: number | string, max: number): StepError {
  return new StepError(
    `The archive was refused: it has ${typeof count === 'number' ? count.toLocaleString('en-US') : count} entries, over the limit of ` +
      `${max.toLocaleString('en-US')}. Split it into smaller archives. Nothing was stored.`,
  )
}

/** `declared` is null when a streamed listing stopped as soon as it went over. */
export function overDeclaredLimit(declared: number | null, limit: number): StepError {
  const amount = declared === null ? `more than the limit of ${formatBytes(limit)}` : `${formatBytes(declared)}, over the limit of ${formatBytes(limit)}`
  return new StepError(`The archive was refused: its files would unpack to ${amount}. Nothing was unpacked or stored; split it into smaller archives.`)
}
