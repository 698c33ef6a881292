import { createElement } from 'react'
import { renderToString } from 'react-dom/server'
import { describe, expect, it } from 'vitest'
import { configSpec, defaultConfig } from '@/app/pipelines/[pipelineId]/_config-form/field-spec'
import { viewsFor } from '../views'

const text = (html: string) => html.replace(/<!--.*?-->/g, '').replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ').trim()

describe('the deploy node in the editor', () => {
  it('gets its settings form from the schema: target, deployment name, strategy, canary weight, approval and its timeout', () => {
    const spec = configSpec('deploy')!
    const fields = Object.fromEntries(spec.fields.map((f) => [f.name, f]))
    expect(Object.keys(fields)).toEqual(['target', 'deployment', 'strategy', 'weight', 'approval', 'approvalTimeoutHours'])
    expect(fields.target!.spec).toEqual({ type: 'enum', options: ['server'] })
    expect(fields.deployment).toMatchObject({ required: true, spec: { type: 'text' } })
    expect(fields.strategy!.spec).toEqual({ type: 'enum', options: ['single', 'canary', 'shadow', 'blue-green'] })
    expect(fields.weight).toMatchObject({ required: false, spec: { type: 'number', minimum: 1, maximum: 99 } })
    expect(fields.approval!.spec).toEqual({ type: 'boolean' })
    expect(fields.approvalTimeoutHours).toMatchObject({ default: 72, shownWhen: { approval: [true] }, spec: { type: 'number', minimum: 0.001, maximum: 720 } })
    expect(fields.weight!.shownWhen).toEqual({ strategy: ['canary'] })
    expect(defaultConfig('deploy')).toMatchObject({ target: 'server', strategy: 'single', approval: false, approvalTimeoutHours: 72 })
  })

  it('says under the form what the settings will do', () => {
    const Aside = viewsFor('deploy')!.ConfigAside!
    const html = renderToString(createElement(Aside, { nodeId: 'deploy', config: { deployment: 'penguin-api', strategy: 'canary', approval: true } }))
    expect(text(html)).toContain('(10% of requests)')
    expect(text(html)).toContain('POST /api/v1/deployments/penguin-api/predict')
    expect(text(html)).toContain('until an operator approves or rejects')
    expect(text(html)).toContain('if nobody decides within 72 h, it fails and so does the run')
    const quick = renderToString(createElement(Aside, { nodeId: 'deploy', config: { deployment: 'penguin-api', approval: true, approvalTimeoutHours: 0.5 } }))
    expect(text(quick)).toContain('within 30 min')
  })

  it('words the first rollout and the later ones so both read true: the panel cannot tell whether the deployment exists', () => {
    const Aside = viewsFor('deploy')!.ConfigAside!
    const said = text(renderToString(createElement(Aside, { nodeId: 'deploy', config: { deployment: 'penguin-api', strategy: 'shadow' } })))
    expect(said).toContain('If penguin-api does not exist yet, a run creates it serving the trained version. Once it exists, each run rolls the new version out: the new version sees a copy of every request')
    expect(said).not.toContain('The first run')
    expect(said).not.toContain('approves')
  })

  it('sums up the deployment output: what changed, by whom, and a way to the deployment', () => {
    const Report = viewsFor('deploy')!.Report!
    const reference = { deployment: 'penguin-api', target: 'server', model: 'penguins', version: 2, strategy: 'canary', weight: 30, by: 'omar@example.com', predictUrl: '/api/v1/deployments/penguin-api/predict' }
    const render = (value: unknown) => text(renderToString(createElement(Report, { port: 'deployment', report: value })))
    expect(render({ ...reference, action: 'rollout' })).toContain('Rolled v2 of penguins out to penguin-api as a 30% canary beside the stable version. By omar@example.com.')
    expect(render({ ...reference, action: 'create', strategy: 'single', weight: undefined })).toContain('Created penguin-api, serving v2 of penguins to every request.')
    expect(render({ ...reference, action: 'unchanged' })).toContain('penguin-api already served v2 of penguins as asked: nothing changed.')
    expect(render({ ...reference, action: 'rollout' })).toContain('Open penguin-api')
    // anything else is left to the raw JSON below it
    expect(render({ deployment: 'penguin-api' })).toBe('')
  })
})
