import { describe, expect, it } from 'vitest'
import { deploy, deployConfig } from './definition'
import { describeRequest, describeRollout, deployRequestSchema, formatHours } from './request'

const problem = (config: unknown) => {
  const parsed = deployConfig.safeParse(config)
  if (parsed.success) throw new Error(`expected ${JSON.stringify(config)} to be refused`)
  return parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`)
}

describe('the deploy node config', () => {
  it('fills in a server target, a single rollout, no approval and a 72 h approval timeout', () => {
    // a pipeline file written before the timeout existed still parses, and gets the default
    expect(deployConfig.parse({ deployment: 'penguin-api' })).toEqual({ target: 'server', deployment: 'penguin-api', strategy: 'single', approval: false, approvalTimeoutHours: 72 })
    expect(deployConfig.parse({ deployment: 'penguin-api', strategy: 'canary', weight: 25, approval: true })).toMatchObject({ strategy: 'canary', weight: 25, approval: true })
  })

  it('says what is wrong with a bad deployment name, target or strategy', () => {
    expect(problem({})).toEqual([expect.stringMatching(/^deployment: /)])
    expect(problem({ deployment: 'Penguin API' })).toEqual(['deployment: must be lower-case letters, digits and "-", e.g. "penguin-classifier"'])
    expect(problem({ deployment: 'api', target: 'edge' })).toEqual(['target: target must be "server": the model is served by Pipewright (edge targets come later)'])
    expect(problem({ deployment: 'api', strategy: 'rolling' })).toEqual(['strategy: strategy must be one of "single", "canary", "shadow" or "blue-green"'])
    expect(problem({ deployment: 'api', approval: 'yes' })).toEqual(['approval: approval must be true or false'])
    expect(problem({ deployment: 'api', replicas: 3 })).toEqual([expect.stringMatching(/replicas/)])
  })

  it('keeps the canary weight a percentage, and only for a canary', () => {
    expect(problem({ deployment: 'api', strategy: 'canary', weight: 0 })).toEqual(['weight: weight is a percentage of requests: at least 1'])
    expect(problem({ deployment: 'api', strategy: 'canary', weight: 100 })).toEqual(['weight: weight is a percentage of requests: at most 99 (100 is a "single" rollout)'])
    expect(problem({ deployment: 'api', strategy: 'canary', weight: '10%' })).toEqual(['weight: weight must be a number: the percentage of requests the canary answers'])
    expect(problem({ deployment: 'api', strategy: 'shadow', weight: 10 })).toEqual([
      'weight: weight is the canary\'s share of requests; a shadow rollout takes none: remove it or choose strategy "canary"',
    ])
  })

  it('keeps the approval timeout between 3.6 seconds and 30 days', () => {
    expect(deployConfig.parse({ deployment: 'api', approval: true, approvalTimeoutHours: 0.5 })).toMatchObject({ approvalTimeoutHours: 0.5 })
    expect(deployConfig.parse({ deployment: 'api', approval: true, approvalTimeoutHours: 0.001 })).toMatchObject({ approvalTimeoutHours: 0.001 })
    expect(problem({ deployment: 'api', approvalTimeoutHours: 0 })).toEqual(['approvalTimeoutHours: approvalTimeoutHours must be at least 0.001 (3.6 seconds)'])
    expect(problem({ deployment: 'api', approvalTimeoutHours: -1 })).toEqual(['approvalTimeoutHours: approvalTimeoutHours must be at least 0.001 (3.6 seconds)'])
    expect(problem({ deployment: 'api', approvalTimeoutHours: 721 })).toEqual(['approvalTimeoutHours: approvalTimeoutHours must be at most 720 (30 days)'])
    expect(problem({ deployment: 'api', approvalTimeoutHours: '72h' })).toEqual(['approvalTimeoutHours: approvalTimeoutHours must be a number of hours'])
    expect(problem({ deployment: 'api', approvalTimeoutHours: Number.NaN })).toEqual(['approvalTimeoutHours: approvalTimeoutHours must be a number of hours'])
  })

  it('takes a model and gives a deployment', () => {
    expect(deploy.ports).toEqual({ in: { model: 'model' }, out: { deployment: 'deployment' } })
    expect(deploy.retry.attempts).toBe(1)
  })
})

describe('the request a deploy step publishes', () => {
  it('is checked again by the server, and read out to the approver', () => {
    const request = deployRequestSchema.parse({ target: 'server', deployment: 'api', strategy: 'canary', weight: 10, model: { name: 'penguins', version: 2 } })
    expect(describeRequest(request)).toBe('Deploy model "penguins" version 2 to "api" as a 10% canary; if "api" does not exist yet, it is created serving this version alone.')
    expect(deployRequestSchema.safeParse({ ...request, model: { name: 'penguins', version: 0 } }).success).toBe(false)
    expect(describeRollout(request)).toBe('the rollout of model "penguins" version 2 to "api"')
  })

  it('names waits the way a person reads them', () => {
    expect([72, 1, 0.5, 0.25, 1 / 60, 0.001, 0.0025].map(formatHours)).toEqual(['72 h', '1 h', '30 min', '15 min', '1 min', '3.6 s', '9 s'])
  })
})
