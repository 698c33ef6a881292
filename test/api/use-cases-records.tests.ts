import { expect, it } from 'vitest'
import { getServices } from '@/server/services'
import { call } from '../harness/routes'
import { create, get, listRoute, oneRoute, openapiRoute, rate, ranking, tokens } from './use-cases.context'

/** Use cases themselves: create, read, change, delete, rate and rank. */
export function recordTests() {
  it('starts a new board with at least ten example use cases, seeded once', async () => {
    const listed = await call(listRoute.GET, 'GET', '', {}, { token: tokens.engineer })
    expect(listed.body.useCases.length).toBeGreaterThanOrEqual(10)
    expect(listed.body.useCases.map((u: { title: string }) => u.title)).toContain('Predictive maintenance of press lines')
    const { seedUseCases } = await import('@/server/use-cases/seed')
    await seedUseCases((await getServices()).db)
    expect((await call(listRoute.GET, 'GET', '', {}, { token: tokens.engineer })).body.useCases).toHaveLength(listed.body.useCases.length)
  })

  it('lets a product manager create a use case and anyone read it', async () => {
    const created = await create({ title: 'Predictive maintenance', severity: 8, devCost: 120_000, prodCostMonthly: 1_500, maintenanceCostYearly: 10_000, currency: 'EUR' })
    expect(created.status).toBe(201)
    const read = await call(oneRoute.GET, 'GET', '', { useCaseId: created.body.id }, { token: tokens.engineer })
    expect(read.status).toBe(200)
    expect(read.body).toMatchObject({ title: 'Predictive maintenance', status: 'idea', score: { severity: 8, severitySource: 'estimate', tco: { total: 204_000 } } })
    expect(read.body.history[0].summary).toBe('Created')
  })

  it('refuses bad values with 400 naming the field, and stores nothing', async () => {
    const before = (await call(listRoute.GET, 'GET', '', {}, { token: tokens.admin })).body.useCases.length
    for (const [body, field] of [
      [{ title: 'x', severity: 0 }, 'severity'],
      [{ title: 'x', severity: 11 }, 'severity'],
      [{ title: 'x', devCost: -5 }, 'devCost'],
      [{ title: 'x', currency: 'XYZ' }, 'currency'],
      [{ title: 'x', severity: 'high' }, 'severity'],
      [{ severity: 3 }, 'title'],
    ] as const) {
      const refused = await create(body)
      expect(refused.status, JSON.stringify(body)).toBe(400)
      expect(refused.body.path).toBe(field)
    }
    const unknown = await create({ title: 'x', sevrity: 3 })
    expect(unknown.status).toBe(400)
    expect(unknown.body.error).toMatch(/sevrity/)
    expect((await call(listRoute.GET, 'GET', '', {}, { token: tokens.admin })).body.useCases).toHaveLength(before)
  })

  it('lets only product managers and admins create, change or delete', async () => {
    expect((await create({ title: 'Not mine' }, tokens.engineer)).status).toBe(403)
    const { body } = await create({ title: 'To delete' })
    expect((await call(oneRoute.DELETE, 'DELETE', '', { useCaseId: body.id }, { token: tokens.engineer })).status).toBe(403)
    expect((await call(oneRoute.DELETE, 'DELETE', '', { useCaseId: body.id }, { token: tokens.pm })).status).toBe(204)
    expect((await get(body.id)).status).toBe(404)
    expect((await get('not-a-uuid')).status).toBe(404)
  })

  it('patches fields, keeps the rest, and records the change field by field', async () => {
    const { body } = await create({ title: 'Demand forecasting', severity: 5, devCost: 50_000, notes: 'keep me' })
    const patched = await call(oneRoute.PATCH, 'PATCH', '', { useCaseId: body.id }, { token: tokens.pm, json: { status: 'data', devCost: 40_000 } })
    expect(patched.status).toBe(200)
    expect(patched.body).toMatchObject({ status: 'data', devCost: 40_000, notes: 'keep me', severity: 5 })
    const bad = await call(oneRoute.PATCH, 'PATCH', '', { useCaseId: body.id }, { token: tokens.pm, json: { status: 'shipped' } })
    expect(bad.status).toBe(400)
    expect(bad.body.path).toBe('status')
    const history = (await get(body.id)).body.history
    expect(history[0]).toMatchObject({ summary: 'Changed devCost, status', changes: { devCost: { before: 50_000, after: 40_000 } } })
  })

  it('aggregates ratings by median with the spread; a second rating by the same person replaces the first', async () => {
    const { body } = await create({ title: 'CV screening', severity: 2 })
    expect((await rate(body.id, { severity: 9 }, tokens.engineer)).status).toBe(201)
    expect((await rate(body.id, { severity: 4 }, tokens.engineer)).body).toMatchObject({ count: 1, median: 4 })
    const both = await rate(body.id, { severity: 8, comment: 'hurts every week' }, tokens.pm)
    expect(both.body).toMatchObject({ count: 2, median: 6, min: 4, max: 8 })
    expect((await get(body.id)).body.score).toMatchObject({ severity: 6, severitySource: 'ratings' })
    expect((await rate(body.id, { severity: 0 }, tokens.pm)).status).toBe(400)
    expect((await rate('00000000-0000-4000-8000-000000000000', { severity: 5 }, tokens.pm)).status).toBe(404)
  })

  it('ranks by pain or by quick win, and refuses an unknown strategy', async () => {
    await create({ title: 'Big expensive pain', severity: 10, devCost: 900_000 })
    await create({ title: 'Cheap small win', severity: 3, devCost: 1_000 })
    const pain = await ranking('pain')
    const quick = await ranking('quick-win')
    const titles = (r: typeof pain) => r.body.ranking.map((x: { title: string }) => x.title)
    expect(titles(pain)[0]).toBe('Big expensive pain')
    expect(titles(quick)[0]).toBe('Cheap small win')
    expect(quick.body.ranking[0]).toMatchObject({ rank: 1, score: 3, explain: expect.stringMatching(/3\^1 ÷ \(1 k\)\^1 = 3/) })
    const bad = await ranking('loudest')
    expect(bad.status).toBe(400)
    expect(bad.body.error).toMatch(/pain, quick-win/)
  })

  it('documents the use-case endpoints in the OpenAPI document', async () => {
    const doc = await (await openapiRoute.GET()).json()
    const paths = ['', '/{useCaseId}', '/{useCaseId}/ratings', '/ranking', '/settings', '/csv', '/invites', '/{useCaseId}/severity-override', '/{useCaseId}/pipelines']
    for (const path of [...paths.map((p) => `/api/v1/use-cases${p}`), '/api/v1/rate/{token}']) {
      expect(doc.paths[path], path).toBeDefined()
    }
  })
}
