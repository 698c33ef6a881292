import http from 'node:http'
import type { AddressInfo } from 'node:net'

/**
 * The environment a backend needs before its steps may download from serveCsv: a fresh
 * installation refuses loopback addresses (URL ingest must not reach the server's own ports),
 * so tests that use a local URL source allow exactly the address the source listens on.
 */
export const allowLocalSources = { PIPEWRIGHT_OUTBOUND_ALLOW: '127.0.0.1/32' }

export interface HttpSource {
  url: string
  requests: number
  close(): Promise<void>
}

/**
 * A local HTTP server that ingest's `url` source downloads from. `failFirst` answers `failStatus`
 * (503 by default) to the first N requests; `dribbleMs` sends the body in pieces over that long (a slow download).
 */
export async function serveCsv(
  csv: string,
  options: { failFirst?: number; failStatus?: number; dribbleMs?: number } = {},
): Promise<HttpSource> {
  const state = { requests: 0 }
  const server = http.createServer((request, response) => {
    state.requests += 1
    if (state.requests <= (options.failFirst ?? 0)) {
      response.writeHead(options.failStatus ?? 503).end('not now')
      return
    }
    response.writeHead(200, { 'content-type': 'text/csv', 'content-length': Buffer.byteLength(csv) })
    if (!options.dribbleMs) return void response.end(csv)
    const pieces = 20
    const size = Math.ceil(csv.length / pieces)
    let sent = 0
    const timer = setInterval(() => {
      if (response.destroyed) return clearInterval(timer)
      response.write(csv.slice(sent, sent + size))
      sent += size
      if (sent >= csv.length) {
        clearInterval(timer)
        response.end()
      }
    }, options.dribbleMs / pieces)
    request.on('close', () => clearInterval(timer))
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}/data.csv`,
    get requests() {
      return state.requests
    },
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}
