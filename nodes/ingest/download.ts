// Server-only: downloading a url source to the step's scratch folder.
import { createWriteStream } from 'node:fs'
import { rm } from 'node:fs/promises'
import { join } from 'node:path'
import { Readable, Transform } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import type { ReadableStream as WebReadableStream } from 'node:stream/web'
import { StepError } from '../contract'
import { filenameFromContentDisposition } from './formats'

export interface Downloaded {
  path: string
  /** the name the file goes by: the last segment of the URL's path, or the server's Content-Disposition */
  pathName: string | undefined
  dispositionName: string | undefined
  contentType: string | null
  bytes: number
}

export interface DownloadOptions {
  signal: AbortSignal
  workDir: string
  /** called as bytes arrive; `total` is null when the server sent no Content-Length */
  onProgress?: (received: number, total: number | null) => void
}

const statusHints: Record<number, string> = {
  401: 'the server wants credentials, which Pipewright does not send',
  403: 'the server refuses access to it',
  404: 'nothing is there; check the address',
  410: 'the file was removed',
  429: 'the server is rate-limiting; try again later',
}

export async function download(url: string, options: DownloadOptions): Promise<Downloaded> {
  let parsed: URL
  try {
    parsed = new URL(url)
  } catch {
    throw new StepError(`"${url}" is not a valid web address.`)
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    throw new StepError(`Only http:// and https:// addresses can be downloaded; "${url}" uses ${parsed.protocol}//.`)
  }

  let response: Response
  try {
    response = await fetch(parsed, { signal: options.signal, redirect: 'follow' })
  } catch (error) {
    options.signal.throwIfAborted()
    throw new StepError(`Could not download ${url}: ${networkReason(error)}.`, { retryable: true })
  }
  if (!response.ok) {
    await response.body?.cancel().catch(() => undefined)
    const hint = statusHints[response.status] ?? (response.status >= 500 ? 'the server failed; try again later' : undefined)
    const status = `${response.status}${response.statusText ? ` ${response.statusText}` : ''}`
    // the server's trouble may pass; a wrong address will not
    const retryable = response.status >= 500 || response.status === 429 || response.status === 408
    throw new StepError(`Downloading ${url} failed: the server answered ${status}${hint ? ` (${hint})` : ''}.`, { retryable })
  }

  const lengthHeader = response.headers.get('content-length')
  const encoded = (response.headers.get('content-encoding') ?? 'identity') !== 'identity'
  const total = lengthHeader && !encoded && Number(lengthHeader) >= 0 ? Number(lengthHeader) : null
  const segment = lastPathSegment(parsed)
  const dispositionName = filenameFromContentDisposition(response.headers.get('content-disposition'))
  const keepName = segment ?? dispositionName ?? 'download'
  const path = join(options.workDir, `download-${keepName.replace(/[^\w.-]+/g, '_').slice(-100)}`)

  let received = 0
  const counter = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      received += chunk.length
      options.onProgress?.(received, total)
      callback(null, chunk)
    },
  })
  try {
    const body = response.body
      ? Readable.fromWeb(response.body as unknown as WebReadableStream<Uint8Array>)
      : Readable.from([] as Buffer[])
    await pipeline(body, counter, createWriteStream(path), { signal: options.signal })
  } catch (error) {
    await rm(path, { force: true })
    options.signal.throwIfAborted()
    throw new StepError(`Downloading ${url} broke off after ${received} bytes: ${networkReason(error)}.`, { retryable: true })
  }
  if (total !== null && received < total) {
    throw new StepError(`Downloading ${url} broke off: got ${received} of ${total} bytes.`, { retryable: true })
  }
  return { path, pathName: segment, dispositionName, contentType: response.headers.get('content-type'), bytes: received }
}

function lastPathSegment(url: URL): string | undefined {
  const segments = url.pathname.split('/').filter(Boolean)
  const last = segments.at(-1)
  if (!last) return undefined
  try {
    return decodeURIComponent(last)
  } catch {
    return last
  }
}

function networkReason(error: unknown): string {
  const cause = (error as { cause?: { code?: string; message?: string } } | undefined)?.cause
  const code = cause?.code
  const known: Record<string, string> = {
    ECONNREFUSED: 'the connection was refused (is the server running?)',
    ENOTFOUND: 'the host name could not be resolved',
    EAI_AGAIN: 'the host name could not be resolved (DNS is unavailable)',
    ECONNRESET: 'the connection was reset',
    ETIMEDOUT: 'the connection timed out',
    UND_ERR_CONNECT_TIMEOUT: 'the connection timed out',
    UND_ERR_SOCKET: 'the connection closed unexpectedly',
  }
  if (code && known[code]) return known[code]
  const message = cause?.message ?? (error instanceof Error ? error.message : String(error))
  return message || 'unknown network error'
}
