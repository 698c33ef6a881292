import { approvalPaths } from './openapi-approvals'
import { handoffPaths } from './openapi-handoffs'
import { deploymentPaths, v2Paths } from './openapi-deployments'
import { modelPaths } from './openapi-models'
import { z } from 'zod'
import { roles } from '@/db/schema'
import { newUserInput } from '@/server/auth/accounts'
import { passwordChangeInput } from '@/server/auth/password-change'
import { roleInput, userInput } from '@/server/auth/users'
import { pipelineFile } from '@/server/compiler/pipeline-file'
import { useCaseFields } from '@/server/use-cases/model'

import { auditPaths } from './openapi-audit'
import { dataPaths } from './openapi-data'
import { anyone, errors, idParam, json, needs } from './openapi-helpers'
import { accountPaths } from './openapi-auth'
import { useCasePaths } from './openapi-use-cases'

const step = {
  type: 'object',
  properties: {
    nodeId: { type: 'string' },
    kind: { type: 'string' },
    status: { type: 'string', enum: ['queued', 'running', 'waiting', 'succeeded', 'failed', 'canceled', 'skipped'] },
    waitingFor: {
      type: ['string', 'null'],
      enum: ['approval', 'handoff', null],
      description: "what a waiting step waits for: a person's approval (approve or reject it at …/steps/{nodeId}/approve | /reject), or its model from an outside trainer (a handoff); null unless the step is waiting",
    },
    cached: { type: 'boolean' },
    cachedFromRunId: { type: ['string', 'null'], format: 'uuid', description: 'for a cached step: the run whose step computed the result' },
    skipCache: { type: 'boolean', description: 'forced to run for real: the node a re-run started from, and its descendants' },
    attempt: { type: 'integer' },
    error: { type: ['string', 'null'] },
    durationMs: { type: ['integer', 'null'] },
    outputs: { type: 'object', additionalProperties: { type: 'string' }, description: 'port → artifact id' },
  },
}

const user = {
  type: 'object',
  required: ['id', 'email', 'name', 'role', 'createdAt'],
  properties: {
    id: { type: 'string', format: 'uuid' },
    email: { type: 'string', format: 'email' },
    name: { type: 'string' },
    role: { type: 'string', enum: [...roles] },
    createdAt: { type: 'string', format: 'date-time' },
  },
}
const userRef = { $ref: '#/components/schemas/User' }

/** The OpenAPI 3.1 document of REST API v1, served at /api/v1/openapi.json. */
export function openApiDocument() {
  return {
    openapi: '3.1.0',
    info: {
      title: 'Pipewright REST API',
      version: '1.0.0',
      description:
        "Pipelines, runs, artifacts, models, users and use cases. Send `Authorization: Bearer <token>`. Each operation's `x-pipewright-action` " +
        "names what the caller's role needs (the README's Roles); `public` needs no sign-in, `signed-in` any account.",
    },
    servers: [{ url: '/' }],
    security: [{ bearer: [] }],
    components: {
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer', description: 'a personal API token (Tokens page)' } },
      schemas: {
        Error: {
          type: 'object',
          required: ['error'],
          properties: {
            error: { type: 'string' },
            path: { type: 'string' },
            errors: { type: 'array', items: { type: 'object', properties: { path: { type: 'string' }, message: { type: 'string' }, code: { type: 'string' } } } },
          },
        },
        PipelineFile: z.toJSONSchema(pipelineFile, { io: 'input', unrepresentable: 'any' }),
        Step: step,
        User: user,
        UseCaseFields: z.toJSONSchema(useCaseFields, { io: 'input', unrepresentable: 'any' }),
      },
    },
    paths: {
      ...accountPaths(),
      ...useCasePaths(),
      ...auditPaths(),
      ...dataPaths(),
      ...modelPaths(),
      ...deploymentPaths(),
      ...v2Paths(),
      ...handoffPaths(),
      ...approvalPaths(),
      '/api/v1/setup': {
        post: {
          ...anyone,
          summary: 'Create the owner account on first run; the API token it returns never expires',
          requestBody: { required: true, content: json(z.toJSONSchema(newUserInput, { io: 'input', unrepresentable: 'any' })) },
          responses: { 201: { description: 'The owner and an API token', content: json({ type: 'object', properties: { token: { type: 'string' } } }) }, ...errors(400, 409) },
        },
      },
      '/api/v1/me/password': {
        post: {
          ...needs('token:manage-own'),
          summary: 'Change your password; your other sessions end (all of them when called with a token), API tokens keep working',
          requestBody: { required: true, content: json(z.toJSONSchema(passwordChangeInput, { io: 'input', unrepresentable: 'any' })) },
          responses: {
            200: { description: 'Changed', content: json({ type: 'object', properties: { changed: { type: 'boolean' }, endedSessions: { type: 'integer' } } }) },
            ...errors(400, 401, 429),
          },
        },
      },
      '/api/v1/users': {
        get: {
          ...needs('user:manage'),
          summary: 'List users (admins only)',
          responses: { 200: { description: 'Users, oldest first', content: json({ type: 'object', properties: { users: { type: 'array', items: userRef } } }) }, ...errors(401, 403) },
        },
        post: {
          ...needs('user:manage'),
          summary: 'Add a user with a role and an initial password (admins only)',
          requestBody: { required: true, content: json(z.toJSONSchema(userInput, { io: 'input', unrepresentable: 'any' })) },
          responses: { 201: { description: 'Created', content: json(userRef) }, ...errors(400, 401, 403, 409) },
        },
      },
      '/api/v1/users/{userId}': {
        parameters: [idParam('userId', 'user id')],
        patch: {
          ...needs('user:manage'),
          summary: "Change a user's role; 409 when it would demote the last admin",
          requestBody: { required: true, content: json(z.toJSONSchema(roleInput, { io: 'input', unrepresentable: 'any' })) },
          responses: { 200: { description: 'The updated user', content: json(userRef) }, ...errors(400, 401, 403, 404, 409) },
        },
        delete: {
          ...needs('user:manage'),
          summary: 'Remove a user with their sessions and tokens; 409 for yourself or the last admin',
          responses: {
            200: { description: 'Removed', content: json({ type: 'object', properties: { removed: { type: 'boolean' }, id: { type: 'string' }, email: { type: 'string' } } }) },
            ...errors(401, 403, 404, 409),
          },
        },
      },
      '/api/v1/uploads': {
        post: {
          ...needs('artifact:upload'),
          summary: 'Upload a file as the raw request body',
          description:
            'A table (CSV, TSV, Parquet, JSON, NDJSON) for an ingest `upload` source, or a .zip, .tar or .tar.gz archive of labelled images for an ingest `images` source. ' +
            'Its media type comes from the file name.',
          parameters: [{ name: 'filename', in: 'query', required: true, schema: { type: 'string' } }],
          requestBody: { required: true, content: { 'application/octet-stream': { schema: { type: 'string', format: 'binary' } } } },
          responses: { 201: { description: 'Stored', content: json({ type: 'object', properties: { artifactId: { type: 'string' }, sizeBytes: { type: 'integer' } } }) }, ...errors(400, 401, 403, 413) },
        },
      },
      '/api/v1/pipelines': {
        get: { ...needs('pipeline:read'), summary: 'List pipelines', responses: { 200: { description: 'Pipelines' }, ...errors(401) } },
        post: {
          ...needs('pipeline:edit'),
          summary: 'Create a pipeline from a pipeline file',
          requestBody: { required: true, content: json({ $ref: '#/components/schemas/PipelineFile' }) },
          responses: { 201: { description: 'Created', content: json({ type: 'object', properties: { id: { type: 'string' }, version: { type: 'integer' } } }) }, ...errors(400, 401, 403, 409) },
        },
      },
      '/api/v1/pipelines/{pipelineId}': {
        parameters: [idParam('pipelineId', 'pipeline id')],
        get: { ...needs('pipeline:read'), summary: "The head version's pipeline file", responses: { 200: { description: 'id, version, file' }, ...errors(401, 404) } },
        put: {
          ...needs('pipeline:edit'),
          summary: 'Save a new version',
          parameters: [{ name: 'message', in: 'query', required: false, schema: { type: 'string' } }],
          requestBody: { required: true, content: json({ $ref: '#/components/schemas/PipelineFile' }) },
          responses: { 200: { description: 'Saved', content: json({ type: 'object', properties: { id: { type: 'string' }, version: { type: 'integer' } } }) }, ...errors(400, 401, 403, 404) },
        },
      },
      '/api/v1/pipelines/{pipelineId}/versions': {
        parameters: [idParam('pipelineId', 'pipeline id')],
        get: { ...needs('pipeline:read'), summary: 'List versions, newest first', responses: { 200: { description: 'Versions' }, ...errors(401, 404) } },
      },
      '/api/v1/pipelines/{pipelineId}/versions/{version}': {
        parameters: [idParam('pipelineId', 'pipeline id'), idParam('version', 'version number')],
        get: { ...needs('pipeline:read'), summary: 'One version with its pipeline file', responses: { 200: { description: 'Version' }, ...errors(401, 404) } },
      },
      '/api/v1/pipelines/{pipelineId}/runs': {
        parameters: [idParam('pipelineId', 'pipeline id')],
        get: { ...needs('pipeline:read'), summary: 'Recent runs', responses: { 200: { description: 'Runs' }, ...errors(401, 404) } },
        post: {
          ...needs('pipeline:run'),
          summary: 'Start a run',
          requestBody: { required: false, content: json({ type: 'object', properties: { version: { type: 'integer' }, noCache: { type: 'boolean' } } }) },
          responses: { 201: { description: 'Started', content: json({ type: 'object', properties: { runId: { type: 'string' } } }) }, ...errors(400, 401, 403, 404) },
        },
      },
      '/api/v1/runs/{runId}': {
        parameters: [idParam('runId', 'run id')],
        get: {
          ...needs('pipeline:read'),
          summary: 'A run with its steps, states, errors and output artifact ids',
          responses: {
            200: {
              description: 'Run',
              content: json({
                type: 'object',
                properties: {
                  status: { type: 'string' },
                  error: { type: ['string', 'null'] },
                  rerunOf: { type: ['string', 'null'], format: 'uuid', description: 'a forced re-run: the run it re-ran' },
                  rerunNodeId: { type: ['string', 'null'], description: 'a forced re-run: the node it was re-run from' },
                  steps: { type: 'array', items: { $ref: '#/components/schemas/Step' } },
                },
              }),
            },
            ...errors(401, 404),
          },
        },
      },
      '/api/v1/runs/{runId}/logs': {
        parameters: [idParam('runId', 'run id'), { name: 'after', in: 'query', schema: { type: 'integer' }, description: 'only lines with a larger id' }],
        get: { ...needs('pipeline:read'), summary: "The run's log lines", responses: { 200: { description: 'Logs' }, ...errors(401, 404) } },
      },
      '/api/v1/runs/{runId}/cancel': {
        parameters: [idParam('runId', 'run id')],
        post: { ...needs('pipeline:run'), summary: 'Cancel a run', responses: { 200: { description: 'Canceled' }, ...errors(401, 403, 404) } },
      },
      '/api/v1/runs/{runId}/retry': {
        parameters: [idParam('runId', 'run id')],
        post: { ...needs('pipeline:run'), summary: 'Run the failed, skipped and canceled steps again', responses: { 200: { description: 'Retried' }, ...errors(401, 403, 404) } },
      },
      '/api/v1/runs/{runId}/rerun': {
        parameters: [idParam('runId', 'run id')],
        post: {
          ...needs('pipeline:run'),
          summary: 'Force a re-run from one node: a new run of the same version where that node and its descendants run for real, and every other step is answered from the cache',
          requestBody: { required: true, content: json({ type: 'object', required: ['nodeId'], properties: { nodeId: { type: 'string', description: "a node of the run's pipeline version" } } }) },
          responses: { 201: { description: 'Started', content: json({ type: 'object', properties: { runId: { type: 'string' } } }) }, ...errors(400, 401, 403, 404, 409, 413) },
        },
      },
      '/api/v1/artifacts/{artifactId}': {
        parameters: [idParam('artifactId', 'sha256')],
        get: { ...needs('artifact:read'), summary: 'Artifact metadata; datasets include rowCount and schema', responses: { 200: { description: 'Metadata' }, ...errors(401, 404) } },
      },
      '/api/v1/artifacts/{artifactId}/content': {
        parameters: [idParam('artifactId', 'sha256')],
        get: { ...needs('artifact:read'), summary: 'Artifact bytes (datasets as Parquet)', responses: { 200: { description: 'Bytes' }, ...errors(401, 404) } },
      },
      '/api/v1/artifacts/{artifactId}/preview': {
        parameters: [idParam('artifactId', 'sha256'), { name: 'limit', in: 'query', schema: { type: 'integer', maximum: 1000 } }],
        get: { ...needs('artifact:read'), summary: 'A dataset’s first rows and column statistics, or a report’s JSON', responses: { 200: { description: 'Preview' }, ...errors(401, 404) } },
      },
    },
  }
}
