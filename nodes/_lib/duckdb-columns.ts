// Server-only: reading a column of a DuckDB data chunk straight into typed arrays, for hot loops
// (scoring a model on a million rows) where one JS value per cell is too slow.
//
// @duckdb/node-api keeps each vector's values in a typed array over DuckDB's own memory (DOUBLE:
// a Float64Array; VARCHAR: 16-byte string records in a DataView) and its null mask as 64-bit
// words, but only as TypeScript-private fields. We read those fields (the version is pinned
// exactly) and check their shape at run time: if an upgrade changes them, every reader falls back
// to the public `getItem`, which gives the same values, only slower. duckdb-columns.test.ts
// checks that the fast path is the one taken.
import { DuckDBDoubleVector, DuckDBVarCharVector, type DuckDBVector } from '@duckdb/node-api'

/** A vector's null mask: bit i of word i/64 is set when row i has a value; null when all have. */
interface Validity {
  data: BigUint64Array | null
  offset: number
}

interface DoubleInternals {
  items: Float64Array
  validity: Validity
}

interface VarCharInternals {
  dataView: DataView
  validity: Validity
  itemOffset: number
}

const allValid = 0xffffffffffffffffn

function validityOf(value: unknown): Validity | undefined {
  if (typeof value !== 'object' || value === null) return undefined
  const { data, offset } = value as Partial<Validity>
  if (offset !== 0 || !(data === null || data instanceof BigUint64Array)) return undefined
  return value as Validity
}

function doubleInternals(vector: DuckDBVector): DoubleInternals | undefined {
  if (!(vector instanceof DuckDBDoubleVector)) return undefined
  const raw = vector as unknown as Partial<DoubleInternals>
  if (!(raw.items instanceof Float64Array) || raw.items.length !== vector.itemCount) return undefined
  const validity = validityOf(raw.validity)
  return validity ? { items: raw.items, validity } : undefined
}

function varCharInternals(vector: DuckDBVector): VarCharInternals | undefined {
  if (!(vector instanceof DuckDBVarCharVector)) return undefined
  const raw = vector as unknown as Partial<VarCharInternals>
  if (!(raw.dataView instanceof DataView) || raw.itemOffset !== 0 || raw.dataView.byteLength < vector.itemCount * 16) return undefined
  const validity = validityOf(raw.validity)
  return validity ? { dataView: raw.dataView, validity, itemOffset: 0 } : undefined
}

/** Calls `visit` for each null row in [from, from + count), looking at a row only when its 64-row word has a null. */
function forEachNull(validity: Validity, from: number, count: number, visit: (row: number) => void): void {
  const words = validity.data
  if (!words) return
  const end = from + count
  for (let word = Math.floor(from / 64); word * 64 < end; word++) {
    const bits = words[word]!
    if (bits === allValid) continue
    for (let row = Math.max(from, word * 64); row < Math.min(end, word * 64 + 64); row++) {
      if ((bits & (1n << BigInt(row % 64))) === 0n) visit(row)
    }
  }
}

/** Whether the fast paths apply to this vector (for the tests). */
export function readsRaw(vector: DuckDBVector): boolean {
  return doubleInternals(vector) !== undefined || varCharInternals(vector) !== undefined
}

/**
 * Rows [from, from + count) of a DOUBLE vector into `out` at `at`, as float32 (rounded as
 * `Float32Array.from` rounds), nulls as NaN. Another type goes through `getItem`: numbers as they
 * are, anything else NaN.
 */
export function readFloats(vector: DuckDBVector, from: number, count: number, out: Float32Array, at: number): void {
  const raw = doubleInternals(vector)
  if (!raw) {
    for (let i = 0; i < count; i++) {
      const v = vector.getItem(from + i)
      out[at + i] = typeof v === 'number' ? v : Number.NaN
    }
    return
  }
  out.set(raw.items.subarray(from, from + count), at)
  forEachNull(raw.validity, from, count, (row) => (out[at + row - from] = Number.NaN))
}

/** Rows of a DOUBLE vector as numbers, nulls as null (the regression label). */
export function readNumbers(vector: DuckDBVector, from: number, count: number, out: (number | null)[], at: number): void {
  const raw = doubleInternals(vector)
  if (!raw) {
    for (let i = 0; i < count; i++) {
      const v = vector.getItem(from + i)
      out[at + i] = v === null ? null : typeof v === 'number' ? v : Number(v)
    }
    return
  }
  for (let i = 0; i < count; i++) out[at + i] = raw.items[from + i]!
  forEachNull(raw.validity, from, count, (row) => (out[at + row - from] = null))
}

/**
 * Decodes short strings once per distinct value: category columns repeat a few values on every
 * row, and DuckDB keeps a string of up to 12 bytes inside its 16-byte record (length, then the
 * bytes), so the record's four 32-bit words are the key. Equal words are equal strings; bytes
 * past the length that happen to differ only cost a miss. Few entries, searched from the last
 * hit; a column whose values rarely repeat (ids) stops looking them up.
 */
export class TextCache {
  private static readonly capacity = 64
  private static readonly decoder = new TextDecoder()
  private readonly words = new Int32Array(TextCache.capacity * 4)
  private readonly texts: string[] = []
  private last = 0
  private lookups = 0
  private misses = 0
  private off = false

  /** The string of the inlined record `record` (of `length` ≤ 12 bytes) of `records`, whose bytes are `bytes`. */
  inlined(records: Int32Array, bytes: Uint8Array, record: number, length: number): string {
    if (this.off) return TextCache.decode(bytes, record * 16 + 4, length)
    this.lookups++
    const w0 = records[record * 4]!
    const w1 = records[record * 4 + 1]!
    const w2 = records[record * 4 + 2]!
    const w3 = records[record * 4 + 3]!
    const count = this.texts.length
    const words = this.words
    for (let n = 0, k = this.last; n < count; n++, k = k + 1 === count ? 0 : k + 1) {
      if (words[k * 4] === w0 && words[k * 4 + 1] === w1 && words[k * 4 + 2] === w2 && words[k * 4 + 3] === w3) {
        this.last = k
        return this.texts[k]!
      }
    }
    const text = TextCache.decode(bytes, record * 16 + 4, length)
    if (count < TextCache.capacity) {
      words.set([w0, w1, w2, w3], count * 4)
      this.texts.push(text)
      this.last = count
    } else if (++this.misses * 2 > this.lookups && this.lookups > 1024) {
      this.off = true
    }
    return text
  }

  /** ASCII by char codes (no decoder call); anything else as UTF-8, as node-api decodes it. */
  static decode(bytes: Uint8Array, start: number, length: number): string {
    const view = bytes.subarray(start, start + length)
    for (let i = 0; i < length; i++) if (view[i]! > 0x7f) return TextCache.decoder.decode(view)
    return String.fromCharCode.apply(null, view as unknown as number[])
  }
}

/**
 * Rows of a VARCHAR vector into `out` at `at`, nulls as `ifNull`. Strings longer than 12 bytes
 * live outside the record and come through `getItem`; another type comes through `getItem` and
 * `String`.
 */
export function readTexts<N extends string | null>(vector: DuckDBVector, from: number, count: number, out: (string | N)[], at: number, ifNull: N, cache: TextCache): void {
  const raw = varCharInternals(vector)
  if (!raw) {
    for (let i = 0; i < count; i++) {
      const v = vector.getItem(from + i)
      out[at + i] = v === null ? ifNull : String(v)
    }
    return
  }
  const view = raw.dataView
  const bytes = new Uint8Array(view.buffer, view.byteOffset, vector.itemCount * 16)
  // DuckDB's records are 8-byte aligned; if a view ever is not, decode each without the cache
  const records = view.byteOffset % 4 === 0 ? new Int32Array(view.buffer, view.byteOffset, vector.itemCount * 4) : null
  for (let i = 0; i < count; i++) {
    const row = from + i
    const length = view.getUint32(row * 16, true)
    if (length > 12) out[at + i] = String(vector.getItem(row))
    else out[at + i] = records ? cache.inlined(records, bytes, row, length) : TextCache.decode(bytes, row * 16 + 4, length)
  }
  // a null's record is whatever DuckDB left there: overwrite it
  forEachNull(raw.validity, from, count, (row) => (out[at + row - from] = ifNull))
}
