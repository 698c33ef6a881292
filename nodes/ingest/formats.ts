// Isomorphic: telling a file's format from its name or its Content-Type.
import { fileFormats, type FileFormat } from './definition'

const byExtension: Record<string, FileFormat> = {
  csv: 'csv',
  tsv: 'tsv',
  tab: 'tsv',
  parquet: 'parquet',
  pq: 'parquet',
  json: 'json',
  ndjson: 'ndjson',
  jsonl: 'ndjson',
}

export type Compression = 'gzip' | 'none'

/** `data.csv` → csv, `x.JSONL` → ndjson, `a.tsv.gz` → tsv (gzip); undefined when the name does not say. */
export function formatFromFilename(filename: string | null | undefined): { format: FileFormat; compression: Compression } | undefined {
  if (!filename) return undefined
  let name = filename.trim().toLowerCase()
  let compression: Compression = 'none'
  if (name.endsWith('.gz') || name.endsWith('.gzip')) {
    compression = 'gzip'
    name = name.slice(0, name.lastIndexOf('.'))
  }
  const dot = name.lastIndexOf('.')
  if (dot < 0) return undefined
  const format = byExtension[name.slice(dot + 1)]
  return format ? { format, compression } : undefined
}

/** The compression a file name implies (`.gz`), whatever its format. */
export function compressionFromFilename(filename: string | null | undefined): Compression {
  const name = (filename ?? '').trim().toLowerCase()
  return name.endsWith('.gz') || name.endsWith('.gzip') ? 'gzip' : 'none'
}

const byMediaType: Record<string, FileFormat> = {
  'text/csv': 'csv',
  'application/csv': 'csv',
  'text/tab-separated-values': 'tsv',
  'application/vnd.apache.parquet': 'parquet',
  'application/x-parquet': 'parquet',
  'application/parquet': 'parquet',
  'application/json': 'json',
  'text/json': 'json',
  'application/x-ndjson': 'ndjson',
  'application/ndjson': 'ndjson',
  'application/jsonl': 'ndjson',
  'application/x-jsonlines': 'ndjson',
  'application/jsonlines': 'ndjson',
}

/** `text/csv; charset=utf-8` → csv; undefined for anything vague such as text/plain or application/octet-stream. */
export function formatFromContentType(contentType: string | null | undefined): FileFormat | undefined {
  if (!contentType) return undefined
  const media = contentType.split(';')[0]!.trim().toLowerCase()
  return byMediaType[media]
}

/** The file name in a Content-Disposition header, if any. */
export function filenameFromContentDisposition(header: string | null | undefined): string | undefined {
  if (!header) return undefined
  const star = /filename\*\s*=\s*(?:UTF-8|utf-8)?''([^;]+)/.exec(header)
  if (star?.[1]) {
    try {
      return decodeURIComponent(star[1].trim())
    } catch {
      // fall through to the plain form
    }
  }
  const plain = /filename\s*=\s*("([^"]*)"|[^;]+)/.exec(header)
  return (plain?.[2] ?? plain?.[1])?.trim() || undefined
}

export const formatList = fileFormats.join(', ')
