import { eq } from 'drizzle-orm'
import { expect, it } from 'vitest'
import { useCaseInvites } from '@/db/schema'
import { createEmptyPipeline } from '@/server/pipelines/pipelines'
import { getServices } from '@/server/services'
import { call } from '../harness/routes'
import { create, get, ranking, tokens } from './use-cases.context'

const settingsRoute = await import('@/app/api/v1/use-cases/settings/route')
const overrideRoute = await import('@/app/api/v1/use-cases/[useCaseId]/severity-override/route')
const pipelinesRoute = await import('@/app/api/v1/use-cases/[useCaseId]/pipelines/route')
const pipelineRoute = await import('@/app/api/v1/use-cases/[useCaseId]/pipelines/[pipelineId]/route')
const invitesRoute = await import('@/app/api/v1/use-cases/invites/route')
const inviteRoute = await import('@/app/api/v1/use-cases/invites/[inviteId]/route')
const rateRoute = await import('@/app/api/v1/rate/[token]/route')
const csvRoute = await import('@/app/api/v1/use-cases/csv/route')
const listRoute = await import('@/app/api/v1/use-cases/route')

const unknownId = '00000000-0000-4000-8000-000000000000'
const patchSettings = (json: unknown, token = tokens.pm) => call(settingsRoute.PATCH, 'PATCH', '', {}, { token, json })
const override = (useCaseId: string, json: unknown, token = tokens.pm) => call(overrideRoute.PUT, 'PUT', '', { useCaseId }, { token, json })
const invite = (json: unknown, token = tokens.pm) => call(invitesRoute.POST, 'POST', 'http://pipewright.test/api/v1/use-cases/invites', {}, { token, json })
const openLink = (token: string) => call(rateRoute.GET, 'GET', '', { token })
const rateByLink = (token: string, json: unknown) => call(rateRoute.POST, 'POST', '', { token }, { json })
const tokenOf = (url: string) => url.split('/rate/')[1]!
const importCsv = (text: string, token = tokens.pm) => call(csvRoute.POST, 'POST', '', {}, { token, body: text, headers: { 'content-type': 'text/csv' } })
const count = async () => (await call(listRoute.GET, 'GET', '', {}, { token: tokens.admin })).body.useCases.length

/** Settings, the PM's override, pipeline links, one-time rating links and CSV. */
export function boardTests() {
  it('switches the board to RICE or WSJF and back, and refuses bad settings naming the field', async () => {
    await create({ title: 'RICE candidate', reach: 100_000, impact: 2, confidence: 80, effort: 4, businessValue: 20, timeCriticality: 20, riskReduction: 20, jobSize: 1 })
    expect((await patchSettings({ method: 'rice' })).body).toMatchObject({ method: 'rice', horizonYears: 3 })
    const rice = await ranking('quick-win')
    expect(rice.body.method).toBe('rice')
    expect(rice.body.ranking[0]).toMatchObject({ title: 'RICE candidate', score: 40_000, explain: 'RICE = 100,000 × 2 × 80 % ÷ 4 = 40,000' })
    await patchSettings({ method: 'wsjf' })
    expect((await ranking('quick-win')).body.ranking[0]).toMatchObject({ title: 'RICE candidate', score: 60, explain: 'WSJF = (20 + 20 + 20) ÷ 1 = 60' })
    for (const [body, field] of [
      [{ method: 'moscow' }, 'method'],
      [{ horizonYears: 0 }, 'horizonYears'],
      [{ costWeight: -1 }, 'costWeight'],
    ] as const) {
      const refused = await patchSettings(body)
      expect(refused.status).toBe(400)
      expect(refused.body.path).toBe(field)
    }
    expect((await patchSettings({ method: 'default' }, tokens.engineer)).status).toBe(403)
    expect((await patchSettings({ method: 'default', horizonYears: 5 })).body).toMatchObject({ method: 'default', horizonYears: 5 })
    const { body } = await create({ title: 'Five-year horizon', severity: 5, prodCostMonthly: 100 })
    expect((await get(body.id)).body.score.tco.total).toBe(6000)
    await patchSettings({ horizonYears: 3 })
  })

  it("lets the PM override the ratings' severity with a reason, kept in the history, and remove it", async () => {
    const { body } = await create({ title: 'Override me', severity: 3 })
    expect((await override(body.id, { severity: 9 })).body.path).toBe('reason')
    expect((await override(body.id, { severity: 12, reason: 'the board decided so' })).body.path).toBe('severity')
    expect((await override(body.id, { severity: 9, reason: 'safety incident last week' }, tokens.engineer)).status).toBe(403)
    const set = await override(body.id, { severity: 9, reason: 'safety incident last week' })
    expect(set.body).toMatchObject({ severityOverride: { severity: 9, reason: 'safety incident last week' }, score: { severity: 9, severitySource: 'override' } })
    const cleared = await call(overrideRoute.DELETE, 'DELETE', '', { useCaseId: body.id }, { token: tokens.pm })
    expect(cleared.body).toMatchObject({ severityOverride: null, score: { severity: 3, severitySource: 'estimate' } })
    const summaries = (await get(body.id)).body.history.map((h: { summary: string }) => h.summary)
    expect(summaries).toContain('Severity set to 9 by the PM: safety incident last week')
    expect(summaries[0]).toBe('Severity override removed')
  })

  it('links and unlinks pipelines, refusing unknown ones', async () => {
    const { body } = await create({ title: 'Needs a pipeline' })
    const pipeline = await createEmptyPipeline((await getServices()).db, 'press-line-model')
    const link = (json: unknown, token = tokens.pm) => call(pipelinesRoute.POST, 'POST', '', { useCaseId: body.id }, { token, json })
    expect((await link({ pipelineId: pipeline.id }, tokens.engineer)).status).toBe(403)
    const linked = await link({ pipelineId: pipeline.id })
    expect(linked.status).toBe(201)
    expect(linked.body.pipelines).toEqual([{ id: pipeline.id, name: 'press-line-model', lastRun: null }])
    expect((await link({ pipelineId: pipeline.id })).body.pipelines).toHaveLength(1)
    expect((await link({ pipelineId: unknownId })).status).toBe(404)
    expect((await link({ pipelineId: 'nope' })).body.path).toBe('pipelineId')
    expect((await get(body.id)).body.pipelines[0].name).toBe('press-line-model')
    const unlink = (pipelineId: string) => call(pipelineRoute.DELETE, 'DELETE', '', { useCaseId: body.id, pipelineId }, { token: tokens.pm })
    expect((await unlink(pipeline.id)).status).toBe(204)
    expect((await unlink(pipeline.id)).status).toBe(404)
    expect((await get(body.id)).body.history.map((h: { summary: string }) => h.summary).slice(0, 2)).toEqual(['Unlinked pipeline press-line-model', 'Linked pipeline press-line-model'])
  })

  it('takes ratings through a one-time link without an account, once', async () => {
    const { body } = await create({ title: 'Rated by a stranger', severity: 2 })
    expect((await invite({ raterName: '' })).body.path).toBe('raterName')
    expect((await invite({ raterName: 'Dana', expiresInDays: 365 })).body.path).toBe('expiresInDays')
    expect((await invite({ raterName: 'Dana', useCaseId: unknownId })).status).toBe(404)
    expect((await invite({ raterName: 'Dana' }, tokens.engineer)).status).toBe(403)
    const made = await invite({ raterName: 'Dana from the plant', useCaseId: body.id })
    expect(made.status).toBe(201)
    expect(made.body.url).toMatch(/^http:\/\/pipewright\.test\/rate\/pw_rate_/)
    const token = tokenOf(made.body.url)
    const opened = await openLink(token)
    expect(opened.body).toMatchObject({ raterName: 'Dana from the plant', useCases: [{ id: body.id, title: 'Rated by a stranger' }] })
    expect((await rateByLink(token, { ratings: [{ useCaseId: body.id, severity: 11 }] })).body.path).toBe('ratings.0.severity')
    expect((await rateByLink(token, { ratings: [] })).body.path).toBe('ratings')
    expect((await rateByLink(token, { ratings: [{ useCaseId: unknownId, severity: 5 }] })).body.path).toBe('ratings.0.useCaseId')
    expect((await rateByLink(token, { ratings: [{ useCaseId: body.id, severity: 7, comment: 'daily pain' }] })).status).toBe(201)
    const again = await rateByLink(token, { ratings: [{ useCaseId: body.id, severity: 1 }] })
    expect(again.status).toBe(410)
    expect(again.body.error).toMatch(/already been used/)
    expect((await openLink(token)).status).toBe(410)
    expect((await openLink('pw_rate_nonsense')).status).toBe(404)
    const read = (await get(body.id)).body
    expect(read.ratingList).toEqual([expect.objectContaining({ raterName: 'Dana from the plant', viaLink: true, severity: 7, comment: 'daily pain' })])
    expect(read.score).toMatchObject({ severity: 7, severitySource: 'ratings' })
    const listed = await call(invitesRoute.GET, 'GET', '', {}, { token: tokens.pm })
    expect(listed.body.invites[0]).toMatchObject({ raterName: 'Dana from the plant', state: 'used', useCaseTitle: 'Rated by a stranger' })
  })

  it('refuses an expired link, and counts a link sent twice at once only once', async () => {
    const { body } = await create({ title: 'Raced and expired' })
    const expired = await invite({ raterName: 'Late Larry', useCaseId: body.id })
    await (await getServices()).db.update(useCaseInvites).set({ expiresAt: new Date(Date.now() - 1000) }).where(eq(useCaseInvites.id, expired.body.id))
    const late = await rateByLink(tokenOf(expired.body.url), { ratings: [{ useCaseId: body.id, severity: 5 }] })
    expect(late.status).toBe(410)
    expect(late.body.error).toMatch(/expired/)
    const token = tokenOf((await invite({ raterName: 'Double Dee', useCaseId: body.id })).body.url)
    const both = await Promise.all([4, 9].map((severity) => rateByLink(token, { ratings: [{ useCaseId: body.id, severity }] })))
    expect(both.map((r) => r.status).sort()).toEqual([201, 410])
    expect((await get(body.id)).body.ratings.count).toBe(1)
  })

  it('lets a board-wide link rate several use cases, and a revoked link rate none', async () => {
    const a = (await create({ title: 'Board link A' })).body.id
    const b = (await create({ title: 'Board link B' })).body.id
    const token = tokenOf((await invite({ raterName: 'Sam' })).body.url)
    expect((await openLink(token)).body.useCases.map((u: { id: string }) => u.id)).toEqual(expect.arrayContaining([a, b]))
    const twice = await rateByLink(token, { ratings: [{ useCaseId: a, severity: 4 }, { useCaseId: a, severity: 5 }] })
    expect(twice.body.path).toBe('ratings.1.useCaseId')
    expect((await rateByLink(token, { ratings: [{ useCaseId: a, severity: 4 }, { useCaseId: b, severity: 8 }] })).body).toEqual({ rated: 2 })
    const revoked = await invite({ raterName: 'Lee' })
    expect((await call(inviteRoute.DELETE, 'DELETE', '', { inviteId: revoked.body.id }, { token: tokens.pm })).status).toBe(204)
    expect((await openLink(tokenOf(revoked.body.url))).status).toBe(404)
  })

  it('exports CSV and imports it back: known ids are updated, new rows created', async () => {
    const { body } = await create({ title: 'Quality, control "vision"', severity: 6, devCost: 30_000, notes: 'two\nlines' })
    const exported = await call(csvRoute.GET, 'GET', '', {}, { token: tokens.engineer })
    expect(exported.headers.get('content-type')).toMatch(/text\/csv/)
    expect(exported.headers.get('content-disposition')).toMatch(/attachment; filename="use-cases-\d{4}-\d{2}-\d{2}\.csv"/)
    expect(exported.body.split('\r\n')[0]).toMatch(/^id,title,problem,/)
    expect(exported.body).toContain('"Quality, control ""vision"""')
    const before = await count()
    const edited = exported.body.replace('"Quality, control ""vision"""', '"Quality control by vision"') + ',Imported new one,,,,,5\r\n'
    const imported = await importCsv(edited)
    expect(imported.status).toBe(201)
    expect(imported.body).toEqual({ created: 1, updated: 1, unchanged: before - 1 })
    expect(await count()).toBe(before + 1)
    const read = (await get(body.id)).body
    expect(read).toMatchObject({ title: 'Quality control by vision', severity: 6, notes: 'two\nlines' })
    expect(read.history[0].summary).toBe('Changed title (CSV import)')
  })

  it('imports nothing from a CSV with errors, naming every row and field', async () => {
    const bad = 'title,severity,devCost,currency\r\nFine,5,100,EUR\r\nToo painful,11,100,EUR\r\nNegative,3,-5,EUR\r\nOdd money,3,100,XYZ\r\nWords,3,lots,EUR\r\n'
    const refused = await importCsv(bad)
    expect(refused.status).toBe(400)
    expect(refused.body.errors.map((e: { path: string }) => e.path)).toEqual(['row 3, field severity', 'row 4, field devCost', 'row 5, field currency', 'row 6, field devCost'])
    expect(refused.body.error).toMatch(/^row 3, field severity: /)
    expect((await importCsv('severity,devCost\r\n5,100\r\n')).body.errors[0].path).toBe('row 1, field title')
    expect((await importCsv(`id,title\r\n${unknownId},Ghost\r\n`)).body.errors[0].path).toBe('row 2, field id')
    const { body } = await create({ title: 'Named twice' })
    const twice = await importCsv(`id,title\r\n${body.id},Once\r\n${body.id},Twice\r\n`)
    expect(twice.body.errors).toEqual([{ path: 'row 3, field id', message: 'the same use case as row 2' }])
    expect((await get(body.id)).body.title).toBe('Named twice')
    expect((await importCsv('', tokens.pm)).status).toBe(400)
    const before = await count()
    expect((await importCsv('title\r\nNot mine\r\n', tokens.engineer)).status).toBe(403)
    expect((await importCsv(bad)).status).toBe(400)
    expect(await count()).toBe(before)
  })

  it('answers 404 or 400 for unknown ids and bodies that are not JSON', async () => {
    const revoke = (inviteId: string) => call(inviteRoute.DELETE, 'DELETE', '', { inviteId }, { token: tokens.pm })
    expect((await revoke('not-an-id')).status).toBe(404)
    expect((await revoke(unknownId)).status).toBe(404)
    expect((await override(unknownId, { severity: 5, reason: 'for the test' })).status).toBe(404)
    const { body } = await create({ title: 'Unlink nothing' })
    expect((await call(pipelineRoute.DELETE, 'DELETE', '', { useCaseId: body.id, pipelineId: 'nope' }, { token: tokens.pm })).status).toBe(404)
    const notJson = { body: '{severity: 5', headers: { 'content-type': 'application/json' } }
    const badSettings = await call(settingsRoute.PATCH, 'PATCH', '', {}, { token: tokens.pm, ...notJson })
    expect(badSettings.status).toBe(400)
    expect(badSettings.body.error).toMatch(/not valid JSON/)
    const token = tokenOf((await invite({ raterName: 'Json Jo' })).body.url)
    expect((await call(rateRoute.POST, 'POST', '', { token }, notJson)).status).toBe(400)
    expect((await openLink(token)).status).toBe(200)
  })
}
