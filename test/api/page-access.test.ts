import { describe, expect, it } from 'vitest'
import { matchPage } from '@/app/_lib/match-page'
import { mayOpenPage, pageAccess, refusalTexts } from '@/server/auth/page-access'

const pages = Object.keys(pageAccess)

describe('the page access table', () => {
  it('finds the page an address belongs to, a fixed name before an id', () => {
    expect(matchPage('/use-cases/new', pages)).toBe('/use-cases/new')
    expect(matchPage('/use-cases/invites/', pages)).toBe('/use-cases/invites')
    expect(matchPage('/use-cases/3f2a0c9e-0000-4000-8000-000000000000/edit', pages)).toBe('/use-cases/[useCaseId]/edit')
    expect(matchPage('/runs/r1/steps/load', pages)).toBe('/runs/[runId]/steps/[nodeId]')
    expect(matchPage('/models/penguin-species', pages)).toBe('/models/[name]')
    expect(matchPage('/models/penguin-species/versions/3', pages)).toBe('/models/[name]/versions/[version]')
    expect(matchPage('/', pages)).toBe('/')
    expect(matchPage('/nowhere/at/all', pages)).toBeUndefined()
  })

  it('says what a refused page needs, who has it, and where to go back to', () => {
    const operator = refusalTexts('operator')
    expect(operator.map((r) => r.page).sort()).toEqual(['/audit', '/upload', '/use-cases/[useCaseId]/edit', '/use-cases/invites', '/use-cases/new', '/users'])
    expect(operator.find((r) => r.page === '/use-cases/new')).toEqual({
      page: '/use-cases/new',
      needs: 'edit use cases',
      rolesThatMay: 'admin or product manager',
      back: { href: '/use-cases', label: 'use cases' },
    })
    expect(operator.find((r) => r.page === '/users')).toMatchObject({ needs: 'manage users', rolesThatMay: 'admin', back: { href: '/pipelines' } })
    expect(refusalTexts('admin')).toEqual([])
  })

  it('lets everyone open public pages, and only admins the users page', () => {
    expect(mayOpenPage('operator', '/rate/[token]')).toBe(true)
    expect(mayOpenPage('pm', '/users')).toBe(false)
    expect(mayOpenPage('admin', '/users')).toBe(true)
    expect(mayOpenPage('engineer', '/upload')).toBe(true)
    expect(mayOpenPage('pm', '/upload')).toBe(false)
    // every role reads the registry; importing and moving aliases are checked by the REST routes
    for (const role of ['admin', 'engineer', 'operator', 'pm'] as const) {
      expect(mayOpenPage(role, '/models')).toBe(true)
      expect(mayOpenPage(role, '/models/[name]/versions/[version]')).toBe(true)
    }
  })
})
