import { expect, it } from 'vitest'
import { ingestValidatePipeline } from '../harness/data'
import { call } from '../harness/routes'
import { clientOf, expectLoggedOnce, newEntries, team } from './audit.context'

const listRoute = await import('@/app/api/v1/use-cases/route')
const oneRoute = await import('@/app/api/v1/use-cases/[useCaseId]/route')
const ratingsRoute = await import('@/app/api/v1/use-cases/[useCaseId]/ratings/route')
const overrideRoute = await import('@/app/api/v1/use-cases/[useCaseId]/severity-override/route')
const linksRoute = await import('@/app/api/v1/use-cases/[useCaseId]/pipelines/route')
const linkRoute = await import('@/app/api/v1/use-cases/[useCaseId]/pipelines/[pipelineId]/route')
const csvRoute = await import('@/app/api/v1/use-cases/csv/route')
const settingsRoute = await import('@/app/api/v1/use-cases/settings/route')
const invitesRoute = await import('@/app/api/v1/use-cases/invites/route')
const inviteRoute = await import('@/app/api/v1/use-cases/invites/[inviteId]/route')
const rateRoute = await import('@/app/api/v1/rate/[token]/route')
const pipelinesRoute = await import('@/app/api/v1/pipelines/route')

/** The product managers' board and its one-time rating links. */
export function useCaseActionTests() {
  it('records every change to a use case, with the PM who made it', async () => {
    const pm = team.pm
    const by = { actor: pm.actor.email, client: clientOf(pm) }
    const created = await call(listRoute.POST, 'POST', '', {}, { token: pm.token, json: { title: 'Audited use case' } })
    expect(created.status).toBe(201)
    const useCaseId = created.body.id as string
    const target = `use case ${useCaseId}`
    await expectLoggedOnce({ action: 'use-case.create', ...by, target })
    const again = await call(listRoute.POST, 'POST', '', {}, { token: pm.token, json: { title: 'Second' } })
    await expectLoggedOnce({ action: 'use-case.create', ...by, target: `use case ${again.body.id}` })

    await call(oneRoute.PATCH, 'PATCH', '', { useCaseId }, { token: pm.token, json: { problem: 'Too slow', devCost: 1000 } })
    const updated = await expectLoggedOnce({ action: 'use-case.update', ...by, target })
    expect(updated.details).toEqual({ title: 'Audited use case', fields: ['problem', 'devCost'] })

    await call(ratingsRoute.POST, 'POST', '', { useCaseId }, { token: team.engineer.token, json: { severity: 7 } })
    await expectLoggedOnce({ action: 'use-case.rate', actor: team.engineer.actor.email, client: clientOf(team.engineer), target })

    await call(overrideRoute.PUT, 'PUT', '', { useCaseId }, { token: pm.token, json: { severity: 9, reason: 'the plant manager says so' } })
    const overridden = await expectLoggedOnce({ action: 'use-case.override', ...by, target })
    expect(overridden.details).toMatchObject({ severity: 9, reason: 'the plant manager says so' })
    await call(overrideRoute.DELETE, 'DELETE', '', { useCaseId }, { token: pm.token })
    await expectLoggedOnce({ action: 'use-case.override-clear', ...by, target })

    const pipeline = await call(pipelinesRoute.POST, 'POST', '', {}, { token: team.admin.token, json: ingestValidatePipeline('linked', 'c'.repeat(64)) })
    await newEntries()
    const pipelineId = pipeline.body.id as string
    expect((await call(linksRoute.POST, 'POST', '', { useCaseId }, { token: pm.token, json: { pipelineId } })).status).toBe(201)
    expect((await expectLoggedOnce({ action: 'use-case.link', ...by, target })).details).toEqual({ pipelineId })
    expect((await call(linkRoute.DELETE, 'DELETE', '', { useCaseId, pipelineId }, { token: pm.token })).status).toBe(204)
    await expectLoggedOnce({ action: 'use-case.unlink', ...by, target })

    const imported = await call(csvRoute.POST, 'POST', '', {}, { token: pm.token, body: 'title\nFrom a spreadsheet\n', headers: { 'content-type': 'text/csv' } })
    expect(imported.status).toBe(201)
    expect((await expectLoggedOnce({ action: 'use-case.import', ...by })).details).toEqual({ created: 1, updated: 0, unchanged: 0 })

    await call(settingsRoute.PATCH, 'PATCH', '', {}, { token: pm.token, json: { horizonYears: 5 } })
    expect((await expectLoggedOnce({ action: 'use-case.settings', ...by })).details).toEqual({ changed: { horizonYears: 5 } })

    expect((await call(oneRoute.DELETE, 'DELETE', '', { useCaseId: again.body.id }, { token: pm.token })).status).toBe(204)
    expect((await expectLoggedOnce({ action: 'use-case.delete', ...by })).details).toEqual({ title: 'Second' })

    expect((await call(listRoute.POST, 'POST', '', {}, { token: team.operator.token, json: { title: 'Nope' } })).status).toBe(403)
    await expectLoggedOnce({ action: 'use-case.create', actor: team.operator.actor.email, client: clientOf(team.operator), outcome: 'refused' })
  })

  it('records rating links: made, used (by "rating link", from that link) and revoked, never the token', async () => {
    const pm = team.pm
    const invite = (raterName: string) => call(invitesRoute.POST, 'POST', 'http://pipewright.test/api/v1/use-cases/invites', {}, { token: pm.token, json: { raterName } })
    const made = await invite('Line supervisor')
    expect(made.status).toBe(201)
    const inviteId = made.body.id as string
    const entry = await expectLoggedOnce({ action: 'invite.create', actor: pm.actor.email, client: clientOf(pm), target: `rating link ${inviteId}` })
    expect(entry.details).toMatchObject({ raterName: 'Line supervisor' })
    const token = (made.body.url as string).split('/rate/')[1]!
    expect(JSON.stringify(entry)).not.toContain(token)

    const open = await call(rateRoute.GET, 'GET', '', { token })
    const useCaseId = open.body.useCases[0].id as string
    const rated = await call(rateRoute.POST, 'POST', '', { token }, { json: { ratings: [{ useCaseId, severity: 4 }] } })
    expect(rated.status).toBe(201)
    expect(rated.body).toEqual({ rated: 1 })
    const used = await expectLoggedOnce({ action: 'invite.use', actor: 'rating link', client: `rating link ${inviteId}`, target: `rating link ${inviteId}` })
    expect(used.actorId).toBeNull()
    expect(used.details).toEqual({ raterName: 'Line supervisor', rated: 1, useCaseIds: [useCaseId] })
    expect((await call(rateRoute.POST, 'POST', '', { token }, { json: { ratings: [{ useCaseId, severity: 4 }] } })).status).toBe(410)
    expect(await newEntries()).toEqual([])

    const other = await invite('Someone else')
    await newEntries()
    expect((await call(inviteRoute.DELETE, 'DELETE', '', { inviteId: other.body.id }, { token: pm.token })).status).toBe(204)
    await expectLoggedOnce({ action: 'invite.revoke', actor: pm.actor.email, client: clientOf(pm), target: `rating link ${other.body.id}` })
  })
}
