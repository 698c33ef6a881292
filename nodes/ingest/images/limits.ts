// What an image archive may hold. Fixed here (no environment variable) so a pipeline behaves the
// same on every machine; a source may lower the first two (see definition.ts), never raise them.

/** Entries (files, folders, links) one archive may list. */
export const MAX_ARCHIVE_ENTRIES = 50_000

/** Bytes all file entries together may unpack to: 2 GiB. */
export const MAX_UNPACKED_BYTES = 2 * 1024 ** 3

/** One entry bigger than this is not read (an image of 256 MiB is no image a dataset wants). */
export const MAX_ENTRY_BYTES = 256 * 1024 ** 2

/**
 * Deflate reaches about 1000:1 on zeros; PNG and JPEG are already compressed (about 1:1) and a
 * labels.csv about 10:1. An entry (or a whole .tar.gz) declaring more than this ratio is a bomb.
 */
export const MAX_COMPRESSION_RATIO = 100

/** Below this many unpacked bytes the ratio does not matter: a tiny blank file compresses well. */
export const RATIO_CHECK_FLOOR_BYTES = 1024 ** 2

export interface ArchiveLimits {
  maxEntries: number
  maxUnpackedBytes: number
}
