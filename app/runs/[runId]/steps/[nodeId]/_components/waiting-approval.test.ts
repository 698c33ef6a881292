import { createElement } from 'react'
import { renderToString } from 'react-dom/server'
import { AppRouterContext, type AppRouterInstance } from 'next/dist/shared/lib/app-router-context.shared-runtime'
import { describe, expect, it } from 'vitest'
import { WaitingApproval, type WaitingApprovalProps } from './waiting-approval'

// the buttons refresh the page through the App Router; rendering needs one mounted
const router: AppRouterInstance = { back() {}, forward() {}, refresh() {}, push() {}, replace() {}, prefetch() {}, bfcacheId: 'test' }
const render = (canDecide: boolean, extra: Partial<WaitingApprovalProps> = {}) =>
  text(renderToString(createElement(AppRouterContext.Provider, { value: router }, createElement(WaitingApproval, { ...props, ...extra, canDecide }))))
const text = (html: string) => html.replace(/<!--.*?-->/g, '').replace(/<[^>]+>/g, ' ').replace(/&quot;/g, '"').replace(/\s+/g, ' ').trim()
const props = { runId: '00000000-0000-4000-8000-000000000000', nodeId: 'deploy', summary: 'Deploy model "penguins" version 2 to "api" as a 10% canary.', since: '2026-12-03T14:00:00.000Z', expiresAt: '2026-12-06T14:00:00.000Z' }

describe('a step waiting for approval', () => {
  it('shows what it will do, and Approve / Reject to someone who may decide', () => {
    const page = render(true)
    expect(page).toContain('Waiting for approval')
    expect(page).toContain('Deploy model "penguins" version 2 to "api" as a 10% canary.')
    expect(page).toContain('Approve')
    expect(page).toContain('Reject')
  })

  it('says when it fails if nobody decides', () => {
    expect(render(false)).toMatch(/If nobody has by .*2026.*, the step fails and so does the run\./)
  })

  it('tells anyone else who can', () => {
    const page = render(false)
    expect(page).not.toContain('Approve')
    expect(page).toContain('An operator can approve or reject this here.')
  })

  it('says what the deployment serves now, so the change can be read against it', () => {
    const serving = { model: 'penguins', versions: [{ version: 1, role: 'stable', weight: 100 }] }
    expect(render(true, { deployments: [{ name: 'api', serving }] })).toMatch(/Serving now: api answers with v1 stable 100% of penguins ?\./)
    expect(render(true, { deployments: [{ name: 'api', serving: null }] })).toContain('api does not exist yet: approving creates it, serving this version alone.')
  })
})
