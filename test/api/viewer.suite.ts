import fs from 'node:fs'
import path from 'node:path'
import sharp from 'sharp'
import { TRPCError } from '@trpc/server'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { appRouter } from '@/server/api/root'
import { createContext } from '@/server/api/trpc'
import { createApiToken, createUser } from '@/server/auth/accounts'
import { closeServices, getServices, type Services } from '@/server/services'
import { storeBlob, storeDatasetFromSql, storeImageDataset } from '../harness/images'
import { call } from '../harness/routes'

// imported by viewer.test.ts / viewer.postgres.test.ts once they have set the environment

const rowsRoute = await import('@/app/api/v1/artifacts/[artifactId]/rows/route')
const blobRoute = await import('@/app/api/v1/blobs/[blobId]/route')

const million = 1_000_000

export function viewerSuite(backendName: string, dropDatabase?: () => Promise<void>) {
  let services: Services
  let token = ''
  let millionId = ''
  let oddId = ''
  let images: { datasetId: string; imageIds: string[] }

  const rows = (artifactId: string, query = '') => call(rowsRoute.GET, 'GET', `/api/v1/artifacts/${artifactId}/rows${query}`, { artifactId }, { token })

  /** The blob route answered as bytes: call() would read an image as text. */
  async function blob(blobId: string, query = '') {
    const request = new Request(`http://localhost/api/v1/blobs/${blobId}${query}`, { headers: { authorization: `Bearer ${token}` } })
    const response = await blobRoute.GET(request, { params: Promise.resolve({ blobId }) })
    const bytes = Buffer.from(await response.arrayBuffer())
    return { status: response.status, headers: response.headers, bytes, json: () => JSON.parse(bytes.toString('utf8')) as { error: string; issues?: unknown[] } }
  }

  const caller = async () => appRouter.createCaller(await createContext({ req: new Request('http://localhost/api/trpc', { headers: { authorization: `Bearer ${token}` } }) }))

  describe(`the dataset viewer's routes (${backendName})`, () => {
    beforeAll(async () => {
      services = await getServices()
      const user = await createUser(services.db, { email: 'viewer@example.com', name: 'Vera Viewer', password: 'viewer password', role: 'operator' })
      token = (await createApiToken(services.db, user.id, 'viewer')).token
      millionId = await storeDatasetFromSql(services, `SELECT i + 1 AS "row no", 'item ' || (i + 1) AS "name [unit]" FROM range(${million}) t(i)`)
      oddId = await storeDatasetFromSql(
        services,
        `SELECT * FROM (VALUES
           (1, 'a "quoted" text', NULL::INTEGER, 9007199254740993::BIGINT, DATE '2024-02-29', TIMESTAMP '2024-01-02 10:00:00', [1, 2], {'k': 'v'}),
           (2, NULL, 7, -1::BIGINT, NULL::DATE, NULL::TIMESTAMP, []::INTEGER[], NULL)
         ) t("id", "with space", "nullable", "big", "day", "at", "list", "struct")`,
      )
      images = await storeImageDataset(services, [
        { label: 'scratch', rgb: [210, 190, 160] },
        { label: 'good', rgb: [160, 200, 210] },
        { label: 'scratch', rgb: [200, 180, 150] },
        { label: 'a "quoted" label', rgb: [100, 100, 100] },
      ])
    }, 60_000)

    afterAll(async () => {
      await closeServices(services)
      await dropDatabase?.()
    })

    describe('GET /api/v1/artifacts/{id}/rows', () => {
      it('pages from the start with the default limit of 100, and says how many rows there are', async () => {
        const page = await rows(millionId)
        expect(page.status).toBe(200)
        expect(page.body.total).toBe(million)
        expect(page.body.rows).toHaveLength(100)
        expect(page.body.rows[0]).toEqual({ 'row no': 1, 'name [unit]': 'item 1' })
      })

      it('jumps to row 999,001 of a million quickly, and gives a short last page', async () => {
        const started = performance.now()
        const page = await rows(millionId, '?offset=999000&limit=1000')
        const ms = performance.now() - started
        expect(page.status).toBe(200)
        expect(page.body.rows).toHaveLength(1000)
        expect(page.body.rows[0]['row no']).toBe(999_001)
        expect(page.body.rows.at(-1)['row no']).toBe(million)
        expect(ms, 'one page deep in a million rows').toBeLessThan(1000)

        const last = await rows(millionId, '?offset=999990&limit=100')
        expect(last.body.rows.map((r: Record<string, number>) => r['row no'])).toEqual(Array.from({ length: 10 }, (_, i) => 999_991 + i))
      })

      it('answers an offset past the end with no rows and the total', async () => {
        const page = await rows(millionId, `?offset=${million + 5}`)
        expect(page.status).toBe(200)
        expect(page.body).toEqual({ rows: [], total: million, offset: million + 5 })
      })

      it('keeps odd column names and makes every value JSON-safe: nulls, big integers, dates, lists, structs', async () => {
        const page = await rows(oddId)
        expect(page.body.rows).toEqual([
          { id: 1, 'with space': 'a "quoted" text', nullable: null, big: '9007199254740993', day: '2024-02-29', at: '2024-01-02T10:00:00', list: [1, 2], struct: { k: 'v' } },
          { id: 2, 'with space': null, nullable: 7, big: -1, day: null, at: null, list: [], struct: null },
        ])
      })

      it.each([
        ['?offset=-1', 'offset'],
        ['?offset=1.5', 'offset'],
        ['?offset=ten', 'offset'],
        ['?limit=0', 'limit'],
        ['?limit=1001', 'limit'],
        ['?limit=1e400', 'limit'],
        ['?limit=', 'limit'],
      ])('refuses %s with a 400 naming the parameter', async (query, parameter) => {
        const page = await rows(millionId, query)
        expect(page.status).toBe(400)
        expect(page.body.error).toMatch(new RegExp(`^${parameter}: `))
        expect(page.body.issues[0].path).toBe(parameter)
      })

      it('says a file or an image is not a dataset (400), and an unknown or malformed id is a 404', async () => {
        const notDataset = await rows(images.imageIds[0]!)
        expect(notDataset.status).toBe(400)
        expect(notDataset.body.error).toMatch(/is a file, not a dataset/)
        expect((await rows('0'.repeat(64))).status).toBe(404)
        const malformed = await rows('..%2F..%2Fetc')
        expect(malformed.status).toBe(404)
        expect(malformed.body.error).toMatch(/sha256/)
      })
    })

    describe('GET /api/v1/blobs/{id}', () => {
      it('serves an image with its media type, immutable caching and nosniff', async () => {
        const id = images.imageIds[0]!
        const answer = await blob(id)
        expect(answer.status).toBe(200)
        expect(answer.headers.get('content-type')).toBe('image/png')
        expect(answer.headers.get('x-content-type-options')).toBe('nosniff')
        expect(answer.headers.get('cache-control')).toMatch(/immutable/)
        expect(answer.headers.get('etag')).toBe(`"${id}"`)
        expect(answer.bytes.equals(fs.readFileSync(await services.store.localPath(id)))).toBe(true)
      })

      it('makes a WebP thumbnail once, keeps it in the store, and answers it again without remaking it', async () => {
        const big = await storeBlob(services, await sharp({ create: { width: 800, height: 400, channels: 3, background: '#c33' } }).png().toBuffer(), 'image/png')
        const first = await blob(big, '?thumb=1')
        expect(first.status).toBe(200)
        expect(first.headers.get('content-type')).toBe('image/webp')
        const meta = await sharp(first.bytes).metadata()
        expect([meta.format, meta.width, meta.height]).toEqual(['webp', 160, 80])
        const thumbId = first.headers.get('etag')!.replaceAll('"', '')
        expect(await services.store.has(thumbId)).toBe(true)

        const mapping = path.join(services.env.dataDir, 'thumbnails', big.slice(0, 2), `${big}-160`)
        const madeAt = fs.statSync(mapping).mtimeMs
        const again = await blob(big, '?thumb=1')
        expect(again.headers.get('etag')).toBe(`"${thumbId}"`)
        expect(fs.statSync(mapping).mtimeMs).toBe(madeAt)
      })

      it('never enlarges a small image for its thumbnail', async () => {
        const meta = await sharp((await blob(images.imageIds[1]!, '?thumb=1')).bytes).metadata()
        expect([meta.width, meta.height]).toEqual([64, 48])
      })

      it('answers 404 for anything that is not a raster image blob: a dataset, a CSV, an SVG, an unknown id', async () => {
        const csv = await storeBlob(services, 'a,b\n1,2\n', 'text/csv')
        const svg = await storeBlob(services, '<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>', 'image/svg+xml')
        for (const id of [images.datasetId, csv, svg, 'f'.repeat(64)]) {
          const answer = await blob(id)
          expect(answer.status, id).toBe(404)
          expect(answer.json().error).toMatch(/No (image )?blob/)
        }
        expect((await blob(csv, '?thumb=1')).status).toBe(404)
      })

      it('refuses a thumb value other than 0 or 1, and says when stored bytes are not a readable image', async () => {
        const bad = await blob(images.imageIds[0]!, '?thumb=yes')
        expect(bad.status).toBe(400)
        expect(bad.json().issues).toHaveLength(1)
        const broken = await storeBlob(services, 'not a png at all', 'image/png')
        const answer = await blob(broken, '?thumb=1')
        expect(answer.status).toBe(415)
        expect(answer.json().error).toMatch(/not an image that can be read/)
      })
    })

    describe('the image grid (tRPC artifacts.images and artifacts.imageLabels)', () => {
      it('counts images per label, most frequent first', async () => {
        expect(await (await caller()).artifacts.imageLabels({ id: images.datasetId })).toEqual([
          { label: 'scratch', count: 2 },
          { label: 'a "quoted" label', count: 1 },
          { label: 'good', count: 1 },
        ])
      })

      it('pages through all images or those of one label, with their boxes', async () => {
        const api = await caller()
        const all = await api.artifacts.images({ id: images.datasetId, offset: 0, limit: 10 })
        expect(all.total).toBe(4)
        expect(all.rows.map((r) => r.image)).toEqual(images.imageIds)
        const scratches = await api.artifacts.images({ id: images.datasetId, label: 'scratch', offset: 1, limit: 10 })
        expect(scratches.total).toBe(2)
        expect(scratches.rows).toHaveLength(1)
        expect(scratches.rows[0]).toMatchObject({ image: images.imageIds[2], label: 'scratch', width: 64, height: 48, boxes: [{ label: 'scratch', x: 24, y: 8, w: 16, h: 16 }] })
        const quoted = await api.artifacts.images({ id: images.datasetId, label: 'a "quoted" label', offset: 0, limit: 10 })
        expect(quoted.total).toBe(1)
      })

      it('says a table without image and label columns is not an image dataset, and refuses a label with a NUL', async () => {
        const api = await caller()
        await expect(api.artifacts.imageLabels({ id: millionId })).rejects.toThrow(/not an image dataset/)
        const refused = await api.artifacts.images({ id: images.datasetId, label: 'a\u0000b', offset: 0, limit: 10 }).catch((error: unknown) => error)
        expect(refused).toBeInstanceOf(TRPCError)
        expect((refused as TRPCError).code).toBe('BAD_REQUEST')
        expect((refused as TRPCError).message).toMatch(/label: must not contain a NUL/)
      })
    })
  })
}
