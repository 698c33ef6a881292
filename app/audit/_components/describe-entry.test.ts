import { describe, expect, it } from 'vitest'
import { actionLabel, detailsSummary, shortTarget, targetHref } from './describe-entry'

describe('how the audit page words an entry', () => {
  it('summarises details in one short line, ids shortened', () => {
    expect(detailsSummary({ version: 2, message: 'tighter' })).toBe('version 2 · message tighter')
    expect(detailsSummary({ userId: 'a6c2c14b-844d-4c42-b635-7159e8ff3232', role: 'admin' })).toBe('user id a6c2c14b… · role admin')
    expect(detailsSummary({ a: 1, b: 2, c: 3, d: 4, e: null })).toBe('a 1 · b 2 · c 3 · +1 more')
    expect(detailsSummary({ reason: 'x'.repeat(100) })).toBe(`reason ${'x'.repeat(57)}…`)
    expect(detailsSummary({})).toBe('')
  })

  it('links targets that have a page, and only those', () => {
    const id = '7e94362f-0000-4000-8000-000000000000'
    expect(targetHref(`pipeline ${id}`)).toBe(`/pipelines/${id}`)
    expect(targetHref(`run ${id}`)).toBe(`/runs/${id}`)
    expect(targetHref(`use case ${id}`)).toBe(`/use-cases/${id}`)
    expect(targetHref('user a@example.com')).toBeNull()
    expect(targetHref('pipeline ../../etc')).toBeNull()
    expect(shortTarget(`pipeline ${id}`)).toBe('pipeline 7e94362f…')
  })

  it('names known actions in words and shows unknown ones as they are', () => {
    expect(actionLabel('user.role-change')).toBe("changed a user's role")
    expect(actionLabel('model.alias')).toBe('model.alias')
  })
})
