// URL ingest must not become a way to reach the server's own machine or network (SSRF).
// Real servers on 127.0.0.x and ::1 stand in for the internal services; each refusal is
// checked by the message a user reads and by the request never arriving.
import { execFileSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import { createServer as createHttpsServer } from 'node:https'
import net, { type AddressInfo } from 'node:net'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { StepError } from '../contract'
import { createTestContext } from '../_lib/test-context'
import { describeParquet } from '../_lib/parquet'
import { ingest, ingestConfig } from './definition'
import { run } from './run'
import { useIngestKit, type AnyRun } from './test-kit'

const { runs, tempDir } = useIngestKit()
const csv = 'a,b\n1,2\n3,4\n'
const hint = '(an administrator can allow it with PIPEWRIGHT_OUTBOUND_ALLOW)'

interface Listening {
  port: number
  requests: number
  close(): Promise<void>
}

/** A real server on `host`; counts what arrives so a test can tell that nothing did. */
async function listen(server: net.Server, host: string, counted: { requests: number }): Promise<Listening> {
  await new Promise<void>((resolve) => server.listen(0, host, resolve))
  return {
    port: (server.address() as AddressInfo).port,
    get requests() {
      return counted.requests
    },
    close: () => new Promise((resolve) => server.close(() => resolve())),
  }
}

function httpServer(host: string, handle: (req: IncomingMessage, res: ServerResponse) => void = serveCsv) {
  const counted = { requests: 0 }
  const server = createServer((req, res) => {
    counted.requests++
    handle(req, res)
  })
  return listen(server, host, counted)
}

/** A TCP service that is not HTTP (an SSH banner, a Redis error, a slammed door, a reset). */
function tcpServer(onConnection: (socket: net.Socket) => void) {
  const counted = { requests: 0 }
  const server = net.createServer((socket) => {
    counted.requests++
    socket.resume() // read (and drop) the request, so the client's close is seen and the server can close
    onConnection(socket)
  })
  return listen(server, '127.0.0.1', counted)
}

function serveCsv(_req: IncomingMessage, res: ServerResponse) {
  res.writeHead(200, { 'content-type': 'text/csv', 'content-length': Buffer.byteLength(csv) }).end(csv)
}

/** /to?url=… redirects there; /hop/N redirects N more times, then serves the CSV. */
function redirecting(req: IncomingMessage, res: ServerResponse) {
  const url = new URL(req.url ?? '/', 'http://x')
  const hops = /^\/hop\/(\d+)$/.exec(url.pathname)
  if (url.pathname === '/to') return void res.writeHead(302, { location: url.searchParams.get('url')! }).end()
  if (hops && Number(hops[1]) > 0) return void res.writeHead(301, { location: `/hop/${Number(hops[1]) - 1}` }).end()
  if (url.pathname === '/broken.csv') {
    res.writeHead(200, { 'content-type': 'text/csv', 'content-length': 1000 })
    res.write('a,b\n1,2\n3,')
    setTimeout(() => res.socket?.destroy(), 20)
    return
  }
  serveCsv(req, res)
}

let main: Listening // 127.0.0.1: the only allowed server in the redirect tests
let other: Listening // 127.0.0.2: loopback too, but not allowed there
let ipv6: Listening // ::1

beforeAll(async () => {
  main = await httpServer('127.0.0.1', redirecting)
  other = await httpServer('127.0.0.2')
  ipv6 = await httpServer('::1')
})

afterAll(async () => {
  await Promise.all([main, other, ipv6].map((s) => s?.close()))
})

async function ingestUrl(url: string, allow: string[] = []) {
  const t = await createTestContext(ingest, { source: { type: 'url', url, format: 'csv' } }, { outbound: { allow } })
  runs.push(t as unknown as AnyRun)
  const error = await run(t.ctx).then(
    () => undefined,
    (e: unknown) => e,
  )
  return { t, error }
}

async function failure(url: string, allow: string[] = []): Promise<StepError> {
  const { error } = await ingestUrl(url, allow)
  expect(error, url).toBeInstanceOf(StepError)
  return error as StepError
}

describe('URL ingest on a fresh installation', () => {
  it('refuses every internal address and numeric disguise of one, naming the rule, without connecting', async () => {
    const p = main.port
    const before = { main: main.requests, ipv6: ipv6.requests }
    const cases: [string, string][] = [
      [`http://127.0.0.1:${p}/data.csv`, '127.0.0.1 is a loopback address'],
      [`http://0x7f000001:${p}/data.csv`, '127.0.0.1 is a loopback address'],
      [`http://2130706433:${p}/data.csv`, '127.0.0.1 is a loopback address'],
      [`http://0177.0.0.1:${p}/data.csv`, '127.0.0.1 is a loopback address'],
      [`http://127.1:${p}/data.csv`, '127.0.0.1 is a loopback address'],
      [`http://[::ffff:127.0.0.1]:${p}/data.csv`, '::ffff:7f00:1 (IPv4 127.0.0.1) is a loopback address'],
      [`http://[::1]:${ipv6.port}/`, '::1 is a loopback address'],
      [`http://localhost:${p}/data.csv`, 'localhost resolves to 127.0.0.1, a loopback address'],
      ['http://169.254.169.254/latest/meta-data/', '169.254.169.254 is a cloud metadata address'],
      ['http://10.0.0.1/data.csv', '10.0.0.1 is a private address'],
      ['http://192.168.1.1/data.csv', '192.168.1.1 is a private address'],
      ['https://172.16.0.1/data.csv', '172.16.0.1 is a private address'],
      ['http://100.64.0.1/data.csv', '100.64.0.1 is a shared (carrier-grade NAT) address'],
      ['http://[fd00::1]/data.csv', 'fd00::1 is a unique-local IPv6 address'],
      ['http://[fe80::1]/data.csv', 'fe80::1 is a link-local address'],
      [`http://0.0.0.0:${p}/data.csv`, "0.0.0.0 is an unspecified ('this host') address"],
      [`http://0:${p}/data.csv`, "0.0.0.0 is an unspecified ('this host') address"],
    ]
    for (const [url, why] of cases) {
      const error = await failure(url)
      // "localhost" may also resolve to ::1 first, depending on the machine's hosts file
      const expected = url.includes('localhost') ? /refused: localhost resolves to (127\.0\.0\.1|::1), a loopback address/ : undefined
      if (expected) expect(error.message).toMatch(expected)
      else expect(error.message, url).toBe(`Could not download ${url}: refused: ${why} ${hint}.`)
      expect(error.retryable, `${url} is refused, not retried`).toBe(false)
    }
    expect(main.requests).toBe(before.main)
    expect(ipv6.requests).toBe(before.ipv6)
  })

  it('downloads from loopback once an administrator allows it, whichever way the address is written', async () => {
    for (const url of [`http://0x7f000001:${main.port}/data.csv`, `http://localhost:${main.port}/data.csv`, `http://[::1]:${ipv6.port}/d.csv`]) {
      const { t, error } = await ingestUrl(url, ['127.0.0.0/8', '::1/128'])
      expect(error, url).toBeUndefined()
      expect((await describeParquet(t.outputs.dataset!)).rowCount).toBe(2)
    }
  })

  it('downloads only http and https addresses', async () => {
    for (const url of ['file:///etc/passwd', 'ftp://example.org/x.csv', 'gopher://127.0.0.1:6379/_INFO', 'data:text/csv,a%0A1']) {
      expect(ingestConfig.safeParse({ source: { type: 'url', url } }).success, url).toBe(false)
      const t = await createTestContext(ingest, { source: { type: 'sample', name: 'penguins' } })
      runs.push(t as unknown as AnyRun)
      t.ctx.config = { ...t.ctx.config, source: { type: 'url', url } } // as a hand-edited config would reach it
      const protocol = new URL(url).protocol
      await expect(run(t.ctx)).rejects.toThrow(`Only http:// and https:// addresses can be downloaded; "${url}" is a ${protocol} address.`)
    }
  })
})

describe('redirects, followed by hand', () => {
  const allowMain = ['127.0.0.1/32']
  const via = (target: string) => `http://127.0.0.1:${main.port}/to?url=${encodeURIComponent(target)}`

  it('checks every redirect target, refusing an internal one before connecting to it', async () => {
    const before = { other: other.requests, ipv6: ipv6.requests }
    const targets: [string, string][] = [
      [`http://127.0.0.2:${other.port}/data.csv`, '127.0.0.2 is a loopback address'],
      [`http://[::1]:${ipv6.port}/data.csv`, '::1 is a loopback address'],
      ['http://169.254.169.254/latest/meta-data/', '169.254.169.254 is a cloud metadata address'],
      ['http://0x0a000001/data.csv', '10.0.0.1 is a private address'],
    ]
    for (const [target, why] of targets) {
      const url = via(target)
      const shown = new URL(target).href
      expect((await failure(url, allowMain)).message).toBe(`Could not download ${url}: refused: it redirected to ${shown}, and ${why} ${hint}.`)
    }
    expect(other.requests).toBe(before.other)
    expect(ipv6.requests).toBe(before.ipv6)
  })

  it('refuses a redirect to a scheme other than http(s)', async () => {
    const url = via('file:///etc/passwd')
    expect((await failure(url, allowMain)).message).toBe(
      `Could not download ${url}: refused: it redirected to file:///etc/passwd, and only http:// and https:// addresses can be downloaded, not file: ones.`,
    )
  })

  it('follows up to 5 redirects and fails clearly on the 6th', async () => {
    const five = await ingestUrl(`http://127.0.0.1:${main.port}/hop/5`, allowMain)
    expect(five.error).toBeUndefined()
    const before = main.requests
    const url = `http://127.0.0.1:${main.port}/hop/6`
    const error = await failure(url, allowMain)
    expect(error.message).toBe(`Could not download ${url}: it redirected more than 5 times.`)
    expect(error.retryable).toBe(false)
    expect(main.requests - before).toBe(6) // the 6th redirect is not followed
  })

  it('refuses an https source that redirects to plain http, and names a certificate it cannot verify', async () => {
    const key = join(tempDir(), 'key.pem')
    const cert = join(tempDir(), 'cert.pem')
    // a throwaway self-signed certificate for 127.0.0.1 (openssl ships with Debian)
    const opensslArgs = ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-days', '1']
    const subject = ['-subj', '/CN=localhost', '-addext', 'subjectAltName=IP:127.0.0.1']
    execFileSync('openssl', [...opensslArgs, ...subject, '-keyout', key, '-out', cert], { stdio: 'ignore' })
    const counted = { requests: 0 }
    const server = createHttpsServer({ key: readFileSync(key), cert: readFileSync(cert) }, (req, res) => (counted.requests++, redirecting(req, res)))
    const secure = await listen(server, '127.0.0.1', counted)
    try {
      const plain = `http://127.0.0.1:${main.port}/data.csv`
      const url = `https://127.0.0.1:${secure.port}/to?url=${encodeURIComponent(plain)}`
      const selfSigned = await failure(url, allowMain)
      expect(selfSigned.message).toBe(`Could not download ${url}: the server's TLS certificate could not be verified (DEPTH_ZERO_SELF_SIGNED_CERT).`)

      // trust the test certificate for this one request, to reach the redirect
      process.env.NODE_TLS_REJECT_UNAUTHORIZED = '0'
      try {
        expect((await failure(url, allowMain)).message).toBe(`Could not download ${url}: refused: it redirected from https to plain http (${plain}).`)
      } finally {
        delete process.env.NODE_TLS_REJECT_UNAUTHORIZED
      }
      expect(counted.requests).toBe(1)
    } finally {
      await secure.close()
    }
  })
})

describe('failed connections', () => {
  const allowLoopback = ['127.0.0.0/8']

  it('all read the same, so no one can tell a closed port from a running service that is not HTTP', async () => {
    const closed = await tcpServer(() => undefined)
    await closed.close()
    const services = {
      'an SSH banner': await tcpServer((s) => s.end('SSH-2.0-OpenSSH_9.2p1 Debian-2\r\n')),
      'a Redis error': await tcpServer((s) => s.once('data', () => s.end('-ERR unknown command\r\n'))),
      'a PostgreSQL-like binary answer': await tcpServer((s) => s.once('data', () => s.end(Buffer.from([0x4e, 0, 0, 0, 8, 0xff])))),
      'a connection closed at once': await tcpServer((s) => s.destroy()),
      'a connection reset': await tcpServer((s) => s.resetAndDestroy()),
    }
    try {
      const message = async (port: number) => {
        const url = `http://127.0.0.1:${port}/data.csv`
        const error = await failure(url, allowLoopback)
        expect(error.retryable).toBe(true) // a network hiccup may pass; the runner tries again
        return error.message.replace(String(port), 'PORT')
      }
      const generic = 'Could not download http://127.0.0.1:PORT/data.csv: the connection failed.'
      expect(await message(closed.port)).toBe(generic)
      for (const [what, service] of Object.entries(services)) {
        expect(await message(service.port), what).toBe(generic)
        expect(service.requests, what).toBe(1)
      }
    } finally {
      await Promise.all(Object.values(services).map((s) => s.close()))
    }
  })

  it('says a download broke off without saying how', async () => {
    const url = `http://127.0.0.1:${main.port}/broken.csv`
    const error = await failure(url, allowLoopback)
    expect(error.message).toBe(`Downloading ${url} broke off after 10 bytes: the connection failed.`)
    expect(error.retryable).toBe(true)
  })
})
