import fs from 'node:fs'
import path from 'node:path'
import { sql } from 'drizzle-orm'
import { expect, it } from 'vitest'
import { auditLog } from '@/db/schema'
import { appRouter } from '@/server/api/root'
import { auditActions } from '@/server/audit/actions'
import { recordAudit } from '@/server/audit/record'
import { getServices } from '@/server/services'
import { parseCsv } from '@/server/use-cases/csv'
import { call } from '../harness/routes'
import { actionsSeen, newEntries, readAudit, routes, team } from './audit.context'
import { trpcMutationsChecked } from './audit-actions.tests'

const openapiRoute = await import('@/app/api/v1/openapi.json/route')

/** Written with a fixed time, so filters by date have something to find. */
async function insertAt(at: string, actor: string, action: string, extra: Partial<typeof auditLog.$inferInsert> = {}) {
  const { db } = await getServices()
  await db.insert(auditLog).values({ at: new Date(at), actor, client: 'test', action, ...extra })
}

const routeFiles = (dir: string): string[] =>
  fs.readdirSync(dir, { withFileTypes: true }).flatMap((d) => (d.isDirectory() ? routeFiles(path.join(dir, d.name)) : d.name === 'route.ts' ? [path.join(dir, d.name)] : []))

/** Reading, filtering, paging, exporting; and that nothing rewrites the log. */
export function readTests() {
  it('answers the contract: entries newest first with who, when, what, from where; next is null on the last page', async () => {
    const response = await readAudit('?limit=1000')
    expect(response.status).toBe(200)
    expect(response.body.next).toBeNull()
    const [latest] = response.body.entries
    expect(Object.keys(latest).sort()).toEqual(['action', 'actor', 'actorId', 'at', 'client', 'details', 'id', 'outcome', 'target'])
    const times = response.body.entries.map((e: { at: string }) => Date.parse(e.at))
    expect(times).toEqual([...times].sort((a, b) => b - a))
    await newEntries()
  })

  it('filters by who, what and when, and walks every entry exactly once with the cursor', async () => {
    for (let i = 0; i < 23; i++) {
      await insertAt(`2020-03-${String(1 + (i % 5)).padStart(2, '0')}T12:00:00Z`, `pager-${i % 3}@example.com`, i % 2 ? 'run.start' : 'pipeline.save', { target: `t${i}` })
    }
    // same instant for several entries: the id breaks the tie, so none is skipped or repeated
    for (let i = 0; i < 4; i++) await insertAt('2020-03-03T12:00:00Z', 'pager-tie@example.com', 'run.cancel')
    const seen: number[] = []
    let cursor: string | null = ''
    let pages = 0
    while (cursor !== null) {
      const page = await readAudit(`?actor=PAGER-&limit=5${cursor ? `&cursor=${cursor}` : ''}`)
      expect(page.status).toBe(200)
      seen.push(...page.body.entries.map((e: { id: number }) => e.id))
      cursor = page.body.next
      pages++
    }
    expect(pages).toBe(6)
    expect(seen).toHaveLength(27)
    expect(new Set(seen).size).toBe(27)

    const byActor = await readAudit('?actor=pager-1@example.com')
    expect(byActor.body.entries.every((e: { actor: string }) => e.actor === 'pager-1@example.com')).toBe(true)
    expect(byActor.body.entries).toHaveLength(8)
    const byAction = await readAudit('?actor=pager-&action=run.start')
    expect(byAction.body.entries).toHaveLength(11)
    const byNoun = await readAudit('?actor=pager-&action=run')
    expect(byNoun.body.entries).toHaveLength(15)
    const oneDay = await readAudit('?actor=pager-&from=2020-03-02&to=2020-03-02')
    expect(oneDay.body.entries.map((e: { at: string }) => e.at.slice(0, 10))).toEqual(Array(5).fill('2020-03-02'))
    const moment = await readAudit('?actor=pager-&from=2020-03-05T12:00:00Z')
    expect(moment.body.entries).toHaveLength(4)
    const wildcard = await readAudit(`?actor=${encodeURIComponent('%')}`)
    expect(wildcard.body.entries).toEqual([])
  })

  it('answers 400 naming the parameter for bad values', async () => {
    const cases: Array<[string, string]> = [
      ['?from=garbage', 'from'],
      ['?to=2020-13-45', 'to'],
      ['?from=2020-03-02&to=2020-03-01', 'from'],
      ['?limit=0', 'limit'],
      ['?limit=100000', 'limit'],
      ['?limit=ten', 'limit'],
      [`?actor=${encodeURIComponent('a\u0000b')}`, 'actor'],
      [`?actor=${'x'.repeat(201)}`, 'actor'],
      ['?action=pipeline.explode', 'action'],
      ['?outcome=maybe', 'outcome'],
      ['?cursor=not-a-cursor', 'cursor'],
    ]
    for (const [query, field] of cases) {
      const response = await readAudit(query)
      expect(response.status, query).toBe(400)
      expect(response.body.path, query).toBe(field)
      expect(response.body.error, query).toMatch(new RegExp(`^${field}: `))
      const csv = await call(routes.auditCsv.GET, 'GET', `/api/v1/audit/csv${query}`, {}, { token: team.admin.token })
      expect(csv.status, query).toBe(400)
    }
  })

  it('is for admins only: 403 for everyone else, 401 without a token', async () => {
    for (const role of ['engineer', 'operator', 'pm'] as const) {
      const response = await readAudit('', team[role].token)
      expect(response.status).toBe(403)
      expect(response.body.error).toMatch(/may not read audits/)
      expect((await call(routes.auditCsv.GET, 'GET', '/api/v1/audit/csv', {}, { token: team[role].token })).status).toBe(403)
    }
    expect((await call(routes.audit.GET, 'GET', '/api/v1/audit', {})).status).toBe(401)
  })

  it('exports CSV with the same filters, quoted and safe from spreadsheet formulas', async () => {
    await insertAt('2021-06-01T08:00:00Z', 'csv@example.com', 'use-case.update', { target: '=HYPERLINK("http://evil")', details: { note: 'a, "quoted"\nline' } })
    await insertAt('2021-06-01T09:00:00Z', 'csv@example.com', 'use-case.rate', { target: '@SUM(A1)' })
    const response = await call(routes.auditCsv.GET, 'GET', '/api/v1/audit/csv?actor=csv@example.com', {}, { token: team.admin.token })
    expect(response.status).toBe(200)
    expect(response.headers.get('content-type')).toMatch(/^text\/csv/)
    expect(response.headers.get('content-disposition')).toMatch(/attachment; filename="audit-log-/)
    const rows = parseCsv(response.body as string)
    expect(rows[0]).toEqual(['id', 'at', 'actor', 'client', 'action', 'target', 'outcome', 'details'])
    expect(rows.slice(1).map((r) => [r[4], r[5], r[7]])).toEqual([
      ['use-case.rate', "'@SUM(A1)", '{}'],
      ['use-case.update', `'=HYPERLINK("http://evil")`, '{"note":"a, \\"quoted\\"\\nline"}'],
    ])
    expect(rows[1]![1]).toBe('2021-06-01T09:00:00.000Z')

    // more than one internal page of 1000 streams through in full
    const { db } = await getServices()
    await db.insert(auditLog).values(Array.from({ length: 1205 }, (_, i) => ({ actor: 'bulk@example.com', client: 'test', action: 'run.start', target: `bulk ${i}` })))
    const bulk = await call(routes.auditCsv.GET, 'GET', '/api/v1/audit/csv?actor=bulk@', {}, { token: team.admin.token })
    expect(parseCsv(bulk.body as string)).toHaveLength(1206)
    await newEntries()
  })

  it('cannot be changed or deleted: no such route, and the database refuses', async () => {
    const auditDir = path.join(process.cwd(), 'app/api/v1/audit')
    for (const file of routeFiles(auditDir)) {
      const source = fs.readFileSync(file, 'utf8')
      expect(source, file).not.toMatch(/export const (POST|PUT|PATCH|DELETE)\b/)
    }
    expect(Object.keys(routes.audit)).toEqual(['GET'])
    expect(Object.keys(routes.auditCsv)).toEqual(['GET'])
    const document = await (await openapiRoute.GET()).json()
    expect(Object.keys(document.paths['/api/v1/audit'])).toEqual(['get'])
    expect(Object.keys(document.paths['/api/v1/audit/csv'])).toEqual(['get'])

    const { db } = await getServices()
    await recordAudit(db, { who: { id: null, label: 'witness', client: 'test' }, action: 'run.start', target: 'keep me' })
    const count = async () => (await db.select({ n: sql<number>`count(*)::int` }).from(auditLog))[0]!.n
    const before = await count()
    for (const statement of [sql`delete from audit_log`, sql`update audit_log set actor = 'someone else'`, sql`truncate audit_log`]) {
      const refusal = await db.execute(statement).then(
        () => 'it ran',
        (error: Error & { cause?: Error }) => `${error.message} ${error.cause?.message ?? ''}`,
      )
      expect(refusal).toMatch(/audit_log is append-only/)
    }
    expect(await count()).toBe(before)
    await newEntries()
  })

  it('leaves no write route and no tRPC mutation unaudited, and every known action was seen above', async () => {
    for (const file of routeFiles(path.join(process.cwd(), 'app/api'))) {
      const module = (await import(file)) as Record<string, { audit?: string | null; inference?: true }>
      for (const method of ['POST', 'PUT', 'PATCH', 'DELETE']) {
        const handler = module[method]
        if (!handler) continue
        if (file.includes('/api/trpc/')) continue // the tRPC endpoint: its mutations are checked below
        if (handler.inference) continue // predictions change nothing; they go to the prediction log
        expect(handler.audit, `${method} ${path.relative(process.cwd(), file)}`).toMatch(/^[a-z-]+\.[a-z-]+$/)
      }
    }
    const notAudited = ['pipelines.draft.save', 'pipelines.draft.discard'] // autosaves: too chatty, seen by no one else
    const mutations = Object.entries(appRouter._def.procedures as unknown as Record<string, { _def: { type: string } }>)
      .filter(([, procedure]) => procedure._def.type === 'mutation')
      .map(([name]) => name)
      .sort()
    expect(mutations).toEqual([...trpcMutationsChecked, ...notAudited].sort())
    // an approval needs a whole run parked at a deploy step: test/integration/deploy-pipeline.test.ts checks these entries
    const seenInTheDeployPipelineTest = ['deployment.approve', 'deployment.reject', 'deployment.approval-expire']
    expect([...actionsSeen, ...seenInTheDeployPipelineTest].sort()).toEqual([...auditActions].sort())
  })
}
