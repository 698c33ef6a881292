import { errors, idParam, json, needs } from './openapi-helpers'

const nameParam = idParam('name', 'deployment name: lower-case letters, digits and "-"')
const deployment = json({
  type: 'object',
  properties: {
    name: { type: 'string' },
    model: { type: 'string' },
    strategy: { enum: ['single', 'canary', 'shadow', 'blue-green'] },
    state: { enum: ['live', 'paused'] },
    versions: { type: 'array', items: { type: 'object', properties: { version: { type: 'integer' }, role: { type: 'string' }, weight: { type: 'integer' } } } },
  },
})
const change = (summary: string) => ({ ...needs('deployment:manage'), summary, responses: { 200: { description: 'The deployment after the change', content: deployment }, ...errors(401, 403, 404, 409) } })

/** Deployments: a registered model version served under a name, with rollouts and rollback. */
export function deploymentPaths() {
  return {
    '/api/v1/deployments': {
      get: { ...needs('deployment:read'), summary: 'Every deployment with its versions, weights and state', responses: { 200: { description: 'Deployments' }, ...errors(401, 403) } },
      post: {
        ...needs('deployment:manage'),
        summary: 'Deploy a model version (or the version an alias points at) under a name',
        requestBody: {
          required: true,
          content: json({
            type: 'object',
            required: ['name', 'model'],
            properties: { name: { type: 'string' }, model: { type: 'string' }, version: { type: 'integer' }, alias: { type: 'string' }, target: { const: 'server' }, strategy: { enum: ['single', 'blue-green'] }, public: { type: 'boolean' } },
          }),
        },
        responses: { 201: { description: 'Deployed', content: deployment }, ...errors(400, 401, 403, 404, 409, 413, 415) },
      },
    },
    '/api/v1/deployments/{name}': {
      parameters: [nameParam],
      get: { ...needs('deployment:read'), summary: 'One deployment: versions, weights, state, settings and history', responses: { 200: { description: 'Deployment', content: deployment }, ...errors(401, 403, 404) } },
      patch: {
        ...needs('deployment:manage'),
        summary: 'Change settings that move no traffic: public, logSample, serving limits',
        requestBody: { required: true, content: json({ type: 'object' }) },
        responses: { 200: { description: 'Deployment', content: deployment }, ...errors(400, 401, 403, 404, 413, 415) },
      },
    },
    '/api/v1/deployments/{name}/rollout': {
      parameters: [nameParam],
      post: {
        ...change('Roll out a challenger: a canary with a weight, a shadow, or a blue-green switch'),
        requestBody: {
          required: true,
          content: json({ type: 'object', required: ['version', 'strategy'], properties: { version: { type: 'integer' }, strategy: { enum: ['canary', 'shadow', 'blue-green'] }, weight: { type: 'integer', minimum: 1, maximum: 99 } } }),
        },
        responses: { 200: { description: 'The deployment after the change', content: deployment }, ...errors(400, 401, 403, 404, 409, 413, 415) },
      },
    },
    '/api/v1/deployments/{name}/rollback': { parameters: [nameParam], post: change('Withdraw the challenger, or go back to the version before the last promotion or switch') },
    '/api/v1/deployments/{name}/promote': { parameters: [nameParam], post: change('Make the challenger the stable version') },
    '/api/v1/deployments/{name}/pause': { parameters: [nameParam], post: change('Freeze the rollout as it is') },
    '/api/v1/deployments/{name}/resume': { parameters: [nameParam], post: change('Resume a paused rollout') },
  }
}
