// Server-only: downloading a url source to the step's scratch folder.
import { createWriteStream } from 'node:fs'
import { rm } from 'node:fs/promises'
import { join } from 'node:path'
import { Transform } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import { StepError, type OutboundPolicy } from '../contract'
import { outboundGet, OutboundError, type OutboundResponse } from '../_lib/outbound-http'
import { allowHint, createAddressPolicy, describeRefusal } from '../_lib/outbound-policy'
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
  /** which non-public addresses an administrator allows */
  outbound: OutboundPolicy
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
    throw new StepError(`Only http:// and https:// addresses can be downloaded; "${url}" is a ${parsed.protocol} address.`)
  }

  let response: OutboundResponse
  try {
    response = await outboundGet(parsed, { policy: createAddressPolicy(options.outbound), signal: options.signal })
  } catch (error) {
    options.signal.throwIfAborted()
    // anything unforeseen reads as a failed connection too: its text might say what answered
    throw failureToStepError(url, error instanceof OutboundError ? error : new OutboundError({ type: 'connection-failed' }, { cause: error }))
  }
  if (response.status < 200 || response.status > 299) {
    response.discard()
    const hint = statusHints[response.status] ?? (response.status >= 500 ? 'the server failed; try again later' : undefined)
    const status = `${response.status}${response.statusText ? ` ${response.statusText}` : ''}`
    // the server's trouble may pass; a wrong address will not
    const retryable = response.status >= 500 || response.status === 429 || response.status === 408
    throw new StepError(`Downloading ${url} failed: the server answered ${status}${hint ? ` (${hint})` : ''}.`, { retryable })
  }

  const lengthHeader = response.headers['content-length']
  const total = lengthHeader && !response.encoded && Number(lengthHeader) >= 0 ? Number(lengthHeader) : null
  const segment = lastPathSegment(parsed)
  const dispositionName = filenameFromContentDisposition(header(response.headers['content-disposition']))
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
    await pipeline(response.body, counter, createWriteStream(path), { signal: options.signal })
  } catch (error) {
    response.discard()
    await rm(path, { force: true })
    options.signal.throwIfAborted()
    // one message for every way a body can break off: it must not tell what is on the other end
    throw new StepError(`Downloading ${url} broke off after ${received} bytes: the connection failed.`, { retryable: true, cause: error })
  }
  if (total !== null && received < total) {
    throw new StepError(`Downloading ${url} broke off: got ${received} of ${total} bytes.`, { retryable: true })
  }
  return { path, pathName: segment, dispositionName, contentType: header(response.headers['content-type']) ?? null, bytes: received }
}

/** What the user reads for each way an outbound request can fail; retried only where trying again may help. */
function failureToStepError(url: string, error: OutboundError): StepError {
  const failure = error.failure
  const via = error.redirectedTo ? `it redirected to ${error.redirectedTo}, and ` : ''
  const refused = (why: string) =>
    new StepError(`Could not download ${url}: refused: ${via}${why} (${allowHint}).`, { cause: error })
  switch (failure.type) {
    case 'refused':
      return refused(describeRefusal(failure.refusal, failure.host))
    case 'scheme':
      return new StepError(
        `Could not download ${url}: refused: ${via}only http:// and https:// addresses can be downloaded, not ${failure.protocol} ones.`,
        { cause: error },
      )
    case 'downgrade':
      return new StepError(`Could not download ${url}: refused: it redirected from https to plain http (${failure.url}).`, { cause: error })
    case 'too-many-redirects':
      return new StepError(`Could not download ${url}: it redirected more than ${failure.max} times.`, { cause: error })
    case 'bad-redirect':
      return new StepError(`Could not download ${url}: it redirected to "${failure.location}", which is not a valid web address.`, { cause: error })
    case 'unresolvable':
      return new StepError(`Could not download ${url}: the host name ${failure.host} could not be resolved.`, { retryable: true, cause: error })
    case 'certificate':
      return new StepError(`Could not download ${url}: the server's TLS certificate could not be verified (${failure.code}).`, { cause: error })
    case 'connection-failed':
      return new StepError(`Could not download ${url}: the connection failed.`, { retryable: true, cause: error })
  }
}

function header(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value
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
