import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { gzipSync } from 'node:zlib'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { StepError } from '../contract'
import { createTestContext, readParquet } from '../_lib/test-context'
import { describeParquet } from '../_lib/parquet'
import { ingest, ingestConfig, sampleDatasets } from './definition'
import { formatFromContentType, formatFromFilename } from './formats'
import { run } from './run'
import { useIngestKit, type AnyRun } from './test-kit'

const { runs } = useIngestKit()

let server: Server
let baseUrl: string

// the test server is on 127.0.0.1, which a fresh installation refuses (see download-safety.test.ts)
const allowLoopback = { allow: ['127.0.0.0/8'] }

/** routes of the local test server: path → [status, headers, body] */
const routes = new Map<string, { status?: number; headers?: Record<string, string>; body: Buffer | string; chunked?: boolean }>()

beforeAll(async () => {
  server = createServer((req, res) => {
    const route = routes.get(req.url ?? '')
    if (!route) {
      res.writeHead(404, 'Not Found', { 'content-type': 'text/plain' })
      res.end('no such file')
      return
    }
    const body = Buffer.from(route.body)
    const headers: Record<string, string | number> = { ...route.headers }
    if (!route.chunked) headers['content-length'] = body.length
    res.writeHead(route.status ?? 200, headers)
    if (route.chunked) {
      res.write(body.subarray(0, 5))
      setTimeout(() => res.end(body.subarray(5)), 10)
    } else {
      res.end(body)
    }
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
})

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve))
})

describe('ingest sources', () => {
  it('reads every shipped sample', async () => {
    for (const sample of sampleDatasets) {
      const t = await createTestContext(ingest, { source: { type: 'sample', name: sample.name } })
      runs.push(t as unknown as AnyRun)
      await run(t.ctx)
      const { rowCount, schema } = await describeParquet(t.outputs.dataset!)
      if (sample.name === 'penguins') {
        expect(rowCount).toBe(320)
        expect(schema).toEqual([
          { name: 'species', type: 'VARCHAR' },
          { name: 'island', type: 'VARCHAR' },
          { name: 'bill_length_mm', type: 'DOUBLE' },
          { name: 'bill_depth_mm', type: 'DOUBLE' },
          { name: 'flipper_length_mm', type: 'BIGINT' },
          { name: 'body_mass_g', type: 'BIGINT' },
          { name: 'sex', type: 'VARCHAR' },
          { name: 'year', type: 'BIGINT' },
        ])
      } else {
        expect(rowCount).toBe(200)
        expect(schema.map((c) => c.name)).toEqual(['timestamp', 'Device ID', 'temp [°C]', 'humidity %', 'reading (raw)', 'battery "V"', 'status'])
        expect(schema.find((c) => c.name === 'reading (raw)')?.type).toBe('VARCHAR')
      }
    }
  })

  it('writes an empty quarantine (file, _reasons) beside a table, so every ingest step has both outputs', async () => {
    const t = await createTestContext(ingest, { source: { type: 'sample', name: 'penguins' } })
    runs.push(t as unknown as AnyRun)
    await run(t.ctx)
    expect(await describeParquet(t.outputs.quarantine!)).toEqual({
      rowCount: 0,
      schema: [
        { name: 'file', type: 'VARCHAR' },
        { name: '_reasons', type: 'VARCHAR[]' },
      ],
    })
  })

  it('rejects an unknown sample name in the config', () => {
    expect(ingestConfig.safeParse({ source: { type: 'sample', name: 'iris' } }).success).toBe(false)
  })

  it('downloads a url, reporting progress from Content-Length', async () => {
    const body = 'a,b\n' + Array.from({ length: 2000 }, (_, i) => `${i},${i * 2}`).join('\n') + '\n'
    routes.set('/files/numbers.csv', { body, headers: { 'content-type': 'application/octet-stream' } })
    const t = await createTestContext(ingest, { source: { type: 'url', url: `${baseUrl}/files/numbers.csv` } }, { outbound: allowLoopback })
    runs.push(t as unknown as AnyRun)
    await run(t.ctx)
    expect((await describeParquet(t.outputs.dataset!)).rowCount).toBe(2000)
    const download = t.progress.filter((p) => p.message?.startsWith('Downloaded'))
    expect(download.at(-1)).toEqual({ fraction: 0.45, message: 'Downloaded 17.9 KiB of 17.9 KiB' }) // 18,339 bytes
    expect(t.logs.some((l) => l.message.startsWith(`Downloaded `) && l.message.endsWith(`from ${baseUrl}/files/numbers.csv`))).toBe(true)
  })

  it('decodes a download the server sent compressed (Content-Encoding), as a browser would', async () => {
    routes.set('/files/packed.csv', { body: gzipSync('a,b\n1,2\n3,4\n'), headers: { 'content-type': 'text/csv', 'content-encoding': 'gzip' } })
    const t = await createTestContext(ingest, { source: { type: 'url', url: `${baseUrl}/files/packed.csv` } }, { outbound: allowLoopback })
    runs.push(t as unknown as AnyRun)
    await run(t.ctx)
    expect(await readParquet(t.outputs.dataset!)).toEqual([{ a: 1, b: 2 }, { a: 3, b: 4 }])
  })

  it('infers a url format from Content-Type or Content-Disposition when the path has no extension', async () => {
    routes.set('/api/export', { body: '{"x":1}\n{"x":2}\n', headers: { 'content-type': 'application/x-ndjson' }, chunked: true })
    routes.set('/api/download?id=7', {
      body: 'p\tq\n1\t2\n',
      headers: { 'content-type': 'application/octet-stream', 'content-disposition': 'attachment; filename="report.tsv"' },
    })
    routes.set('/api/blob', { body: 'x,y\n1,2\n', headers: { 'content-type': 'application/octet-stream' } })
    for (const [path, expected] of [
      ['/api/export', [{ x: 1 }, { x: 2 }]],
      ['/api/download?id=7', [{ p: 1, q: 2 }]],
    ] as const) {
      const t = await createTestContext(ingest, { source: { type: 'url', url: `${baseUrl}${path}` } }, { outbound: allowLoopback })
      runs.push(t as unknown as AnyRun)
      await run(t.ctx)
      expect(await readParquet(t.outputs.dataset!)).toEqual(expected)
    }
    routes.set('/page/data.csv', { body: '<html><body>Sign in</body></html>', headers: { 'content-type': 'text/html; charset=utf-8' } })
    const page = await createTestContext(ingest, { source: { type: 'url', url: `${baseUrl}/page/data.csv` } }, { outbound: allowLoopback })
    runs.push(page as unknown as AnyRun)
    await expect(run(page.ctx)).rejects.toThrow(`${baseUrl}/page/data.csv answered with a web page (text/html), not a data file.`)

    const t = await createTestContext(ingest, { source: { type: 'url', url: `${baseUrl}/api/blob` } }, { outbound: allowLoopback })
    runs.push(t as unknown as AnyRun)
    await expect(run(t.ctx)).rejects.toThrow(
      `Cannot tell the format of ${baseUrl}/api/blob: its name has no known extension and the server sent Content-Type application/octet-stream; set the source's format to one of csv, tsv, parquet, json, ndjson.`,
    )
  })

  it('says clearly when the server answers 404, refuses the connection, or the scheme is not http(s)', async () => {
    const missing = await createTestContext(ingest, { source: { type: 'url', url: `${baseUrl}/nope.csv` } }, { outbound: allowLoopback })
    runs.push(missing as unknown as AnyRun)
    const error = await run(missing.ctx).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(StepError)
    expect((error as Error).message).toBe(
      `Downloading ${baseUrl}/nope.csv failed: the server answered 404 Not Found (nothing is there; check the address).`,
    )

    const closed = createServer()
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve))
    const port = (closed.address() as AddressInfo).port
    await new Promise((resolve) => closed.close(resolve))
    const refused = await createTestContext(ingest, { source: { type: 'url', url: `http://127.0.0.1:${port}/x.csv` } }, { outbound: allowLoopback })
    runs.push(refused as unknown as AnyRun)
    // deliberately vague: the message must not tell a closed port from an open one (see download-safety.test.ts)
    await expect(run(refused.ctx)).rejects.toThrow(`Could not download http://127.0.0.1:${port}/x.csv: the connection failed.`)

    expect(ingestConfig.safeParse({ source: { type: 'url', url: 'ftp://example.org/x.csv' } }).success).toBe(false)
    const ftp = await createTestContext(ingest, { source: { type: 'url', url: `${baseUrl}/x.csv` } }, { outbound: allowLoopback })
    runs.push(ftp as unknown as AnyRun)
    ftp.ctx.config = { ...ftp.ctx.config, source: { type: 'url', url: 'file:///etc/passwd' } }
    await expect(run(ftp.ctx)).rejects.toThrow('Only http:// and https:// addresses can be downloaded; "file:///etc/passwd" is a file: address.')
  })

  it('stops when canceled', async () => {
    const t = await createTestContext(ingest, { source: { type: 'sample', name: 'penguins' } })
    runs.push(t as unknown as AnyRun)
    t.controller.abort()
    await expect(run(t.ctx)).rejects.toThrow()
  })
})

describe('format inference', () => {
  it('knows file extensions and media types', () => {
    expect(formatFromFilename('A.CSV')).toEqual({ format: 'csv', compression: 'none' })
    expect(formatFromFilename('x.tab')).toEqual({ format: 'tsv', compression: 'none' })
    expect(formatFromFilename('x.jsonl.gz')).toEqual({ format: 'ndjson', compression: 'gzip' })
    expect(formatFromFilename('x.pq')).toEqual({ format: 'parquet', compression: 'none' })
    expect(formatFromFilename('README')).toBeUndefined()
    expect(formatFromFilename('x.xlsx')).toBeUndefined()
    expect(formatFromContentType('text/csv; charset=utf-8')).toBe('csv')
    expect(formatFromContentType('text/plain')).toBeUndefined()
  })
})
