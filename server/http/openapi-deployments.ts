import { anyone, errors, idParam, json, needs } from './openapi-helpers'

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
const healthNumbers = {
  requestsPerSecond: { type: 'number' },
  requests: { type: 'integer', description: 'requests in the window' },
  p95Ms: { type: ['number', 'null'], description: 'merged from every process’s latency histogram (within 4.5%)' },
  errorRate: { type: 'number' },
  fallbackRate: { type: 'number' },
  series: {
    type: 'array',
    description: 'the last 5 minutes of settled buckets, oldest first',
    items: { type: 'object', properties: { at: { type: 'integer', description: 'bucket start, epoch ms' }, requests: { type: 'integer' }, errors: { type: 'integer' }, fallbacks: { type: 'integer' }, p95Ms: { type: ['number', 'null'] } } },
  },
}
const health = json({
  type: 'object',
  properties: {
    name: { type: 'string' },
    windowSeconds: { type: 'integer' },
    bucketSeconds: { type: 'integer' },
    processes: { type: 'integer', description: 'serving processes that answered in the window' },
    ...healthNumbers,
    versions: { type: 'array', items: { type: 'object', properties: { version: { type: 'integer' }, shadow: { type: 'boolean', description: 'a shadow’s runs, not in the deployment’s totals' }, ...healthNumbers } } },
  },
})
const change = (summary: string) => ({ ...needs('deployment:manage'), summary, responses: { 200: { description: 'The deployment after the change', content: deployment }, ...errors(401, 403, 404, 409) } })

/** Inference routes: anyone for a public deployment, else an infer token naming it or anyone signed in. */
const inference = {
  ...needs('deployment:read'),
  description: 'A public deployment answers anyone. Otherwise: an `infer` token that names the deployment, or any signed-in caller. Each token is held to its rate (429 with Retry-After). Sticky canary routing by the `X-Pipewright-Key` header.',
}
const v2Name = idParam('name', 'the deployment name')
const v2Version = idParam('version', 'a model version the deployment serves')
const v2Error = (...codes: number[]) => Object.fromEntries(codes.map((code) => [code, { description: 'Error', content: json({ type: 'object', required: ['error'], properties: { error: { type: 'string' } } }) }]))
const tensorJson = { type: 'object', required: ['name', 'shape', 'datatype', 'data'], properties: { name: { type: 'string' }, shape: { type: 'array', items: { type: 'integer' } }, datatype: { type: 'string' }, data: { type: 'array' } } }

function v2ModelPaths(prefix: string, parameters: object[]) {
  return {
    [prefix]: { parameters, get: { ...inference, summary: 'V2 model metadata: versions, platform, inputs and outputs', responses: { 200: { description: 'Metadata' }, ...v2Error(400, 401, 403, 404) } } },
    [`${prefix}/ready`]: { parameters, get: { ...inference, summary: 'V2 model readiness', responses: { 200: { description: 'Ready' }, ...v2Error(401, 403, 404, 503) } } },
    [`${prefix}/infer`]: {
      parameters,
      post: {
        ...inference,
        summary: 'V2 inference (Open Inference Protocol JSON tensors, or the binary tensor data extension)',
        description:
          'JSON tensors, or Triton\'s binary tensor data extension: send `Inference-Header-Content-Length: <n>`, the n-byte JSON header, then the little-endian bytes of each input that has `parameters.binary_data_size` (BYTES elements as a 4-byte length and UTF-8 text). `parameters.binary_data_output: true` (or `binary_data: true` on an output) answers those outputs the same way, as application/octet-stream with the header.',
        requestBody: {
          required: true,
          content: {
            ...json({ type: 'object', required: ['inputs'], properties: { id: { type: 'string' }, inputs: { type: 'array', items: tensorJson }, outputs: { type: 'array' } } }),
            'application/octet-stream': { schema: { type: 'string', format: 'binary' } },
          },
        },
        responses: {
          200: {
            description: 'Outputs, with `id` echoed and the `model_version` that answered',
            content: {
              ...json({ type: 'object', properties: { model_name: { type: 'string' }, model_version: { type: 'string' }, id: { type: 'string' }, outputs: { type: 'array', items: tensorJson } } }),
              'application/octet-stream': { schema: { type: 'string', format: 'binary' } },
            },
          },
          ...v2Error(400, 401, 403, 404, 413, 415, 429, 503, 504),
        },
      },
    },
  }
}

/** The Open Inference Protocol (KServe / Triton V2) over HTTP. */
export function v2Paths() {
  return {
    '/v2': { get: { ...anyone, summary: 'V2 server metadata', responses: { 200: { description: 'name, version, extensions' } } } },
    '/v2/health/live': { get: { ...anyone, summary: 'V2 liveness', responses: { 200: { description: 'Live' } } } },
    '/v2/health/ready': { get: { ...anyone, summary: 'V2 readiness: every deployment loaded', responses: { 200: { description: 'Ready' }, 503: { description: 'Not ready' } } } },
    ...v2ModelPaths('/v2/models/{name}', [v2Name]),
    ...v2ModelPaths('/v2/models/{name}/versions/{version}', [v2Name, v2Version]),
  }
}

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
    '/api/v1/deployments/{name}/predict': {
      parameters: [nameParam],
      post: {
        ...inference,
        summary: 'Predict on records by column name (images as base64, or a multipart form of image files)',
        requestBody: {
          required: true,
          content: {
            ...json({ type: 'object', required: ['records'], properties: { records: { type: 'array', minItems: 1, maxItems: 1000, items: { type: 'object' } } } }),
            'multipart/form-data': { schema: { type: 'object', properties: { image: { type: 'array', items: { type: 'string', format: 'binary' } } } } },
          },
        },
        responses: {
          200: {
            description: 'One prediction per record, in order',
            content: json({ type: 'object', properties: { modelVersion: { type: 'integer' }, predictions: { type: 'array', items: { type: 'object', properties: { id: { type: 'string' }, label: { type: 'string' }, scores: { type: 'object' }, value: { type: 'number' }, fallback: { type: 'boolean' } } } } } }),
          },
          ...errors(400, 401, 403, 404, 413, 415, 429, 503, 504),
        },
      },
    },
    '/api/v1/deployments/{name}/health': {
      parameters: [nameParam],
      get: {
        ...needs('deployment:read'),
        summary: 'Live health across every serving process: requests/s, p95, error and fallback rates over 30 s, per version too, and a 5-minute series',
        responses: { 200: { description: 'Health', content: health }, ...errors(401, 403, 404) },
      },
    },
    '/api/v1/deployments/{name}/rollback': { parameters: [nameParam], post: change('Withdraw the challenger, or go back to the version before the last promotion or switch') },
    '/api/v1/deployments/{name}/promote': { parameters: [nameParam], post: change('Make the challenger the stable version') },
    '/api/v1/deployments/{name}/pause': { parameters: [nameParam], post: change('Freeze the rollout as it is') },
    '/api/v1/deployments/{name}/resume': { parameters: [nameParam], post: change('Resume a paused rollout') },
  }
}
