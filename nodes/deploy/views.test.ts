import { createElement } from 'react'
import { renderToString } from 'react-dom/server'
import { describe, expect, it } from 'vitest'
import { configSpec, defaultConfig } from '@/app/pipelines/[pipelineId]/_config-form/field-spec'
import { viewsFor } from '../views'

const text = (html: string) => html.replace(/<!--.*?-->/g, '').replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ').trim()

describe('the deploy node in the editor', () => {
  it('gets its settings form from the schema: target, deployment name, strategy, canary weight, approval', () => {
    const spec = configSpec('deploy')!
    const fields = Object.fromEntries(spec.fields.map((f) => [f.name, f]))
    expect(Object.keys(fields)).toEqual(['target', 'deployment', 'strategy', 'weight', 'approval'])
    expect(fields.target!.spec).toEqual({ type: 'enum', options: ['server'] })
    expect(fields.deployment).toMatchObject({ required: true, spec: { type: 'text' } })
    expect(fields.strategy!.spec).toEqual({ type: 'enum', options: ['single', 'canary', 'shadow', 'blue-green'] })
    expect(fields.weight).toMatchObject({ required: false, spec: { type: 'number', minimum: 1, maximum: 99 } })
    expect(fields.approval!.spec).toEqual({ type: 'boolean' })
    expect(defaultConfig('deploy')).toMatchObject({ target: 'server', strategy: 'single', approval: false })
  })

  it('says under the form what the settings will do', () => {
    const Aside = viewsFor('deploy')!.ConfigAside!
    const html = renderToString(createElement(Aside, { nodeId: 'deploy', config: { deployment: 'penguin-api', strategy: 'canary', approval: true } }))
    expect(text(html)).toContain('(10% of requests)')
    expect(text(html)).toContain('POST /api/v1/deployments/penguin-api/predict')
    expect(text(html)).toContain('until an operator approves or rejects')
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
