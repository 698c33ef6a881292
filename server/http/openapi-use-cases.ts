import { z } from 'zod'
import { boardSettingsPatch, inviteInput, inviteRatings, pipelineLinkInput, ratingInput, rankingStrategies, severityOverride } from '@/server/use-cases/model'
import { anyone, errors, idParam, json, needs } from './openapi-helpers'

const useCaseFieldsRef = { $ref: '#/components/schemas/UseCaseFields' }
const schemaOf = (schema: z.ZodType) => json(z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }))
const csv = { 'text/csv': { schema: { type: 'string' } } }

/** The product managers' board: use cases, ratings of their severity, the rankings and their settings. */
export function useCasePaths() {
  return {
    '/api/v1/use-cases': {
      get: { ...needs('use-case:read'), summary: 'List use cases with their ratings summary and score', responses: { 200: { description: 'Use cases, by title' }, ...errors(401) } },
      post: {
        ...needs('use-case:edit'),
        summary: 'Create a use case (product managers and admins)',
        requestBody: { required: true, content: json(useCaseFieldsRef) },
        responses: { 201: { description: 'Created', content: json({ type: 'object', properties: { id: { type: 'string' } } }) }, ...errors(400, 401, 403) },
      },
    },
    '/api/v1/use-cases/ranking': {
      get: {
        ...needs('use-case:read'),
        summary: "Rank use cases: biggest pain first, or quickest win (the board's score)",
        parameters: [{ name: 'strategy', in: 'query', required: false, schema: { type: 'string', enum: [...rankingStrategies], default: 'pain' } }],
        responses: { 200: { description: 'strategy, method and the ranked use cases; equal ones share a rank; every score carries `explain`' }, ...errors(400, 401) },
      },
    },
    '/api/v1/use-cases/settings': {
      get: { ...needs('use-case:read'), summary: "The board's scoring settings", responses: { 200: { description: 'method, horizonYears, painWeight, costWeight' }, ...errors(401) } },
      patch: {
        ...needs('use-case:edit'),
        summary: 'Change the scoring method (default, rice, wsjf), the cost horizon or the weights',
        requestBody: { required: true, content: schemaOf(boardSettingsPatch) },
        responses: { 200: { description: 'All the settings' }, ...errors(400, 401, 403) },
      },
    },
    '/api/v1/use-cases/csv': {
      get: { ...needs('use-case:read'), summary: 'Export every use case as CSV (a column per field, with the id)', responses: { 200: { description: 'CSV', content: csv }, ...errors(401) } },
      post: {
        ...needs('use-case:edit'),
        summary: 'Import use cases from CSV: rows with a known id update it, others are created; all or nothing',
        requestBody: { required: true, content: csv },
        responses: {
          201: { description: "created, updated and unchanged counts" },
          ...errors(401, 403),
          400: { description: 'Nothing imported; `errors` lists every problem as "row N, field F"', content: json({ $ref: '#/components/schemas/Error' }) },
        },
      },
    },
    '/api/v1/use-cases/invites': {
      get: { ...needs('use-case:edit'), summary: 'Rating links and their state (open, used, expired)', responses: { 200: { description: 'Links, newest first' }, ...errors(401, 403) } },
      post: {
        ...needs('use-case:edit'),
        summary: 'Make a one-time rating link for someone without an account (one use case, or all open ones)',
        requestBody: { required: true, content: schemaOf(inviteInput) },
        responses: { 201: { description: 'The link; its `url` (under PIPEWRIGHT_PUBLIC_URL, else the address the request was sent to) is shown only once' }, ...errors(400, 401, 403, 404) },
      },
    },
    '/api/v1/use-cases/invites/{inviteId}': {
      parameters: [idParam('inviteId', 'rating link id')],
      delete: { ...needs('use-case:edit'), summary: 'Revoke a rating link', responses: { 204: { description: 'Revoked' }, ...errors(401, 403, 404) } },
    },
    '/api/v1/rate/{token}': {
      parameters: [idParam('token', "the link's token")],
      get: { ...anyone, summary: 'What a rating link asks to rate (no account needed)', responses: { 200: { description: 'raterName, expiresAt, useCases' }, ...errors(404, 410, 429) } },
      post: {
        ...anyone,
        summary: 'Rate through a one-time link; the link is used up',
        requestBody: { required: true, content: schemaOf(inviteRatings) },
        responses: { 201: { description: 'How many were rated' }, ...errors(400, 404, 410, 429) },
      },
    },
    '/api/v1/use-cases/{useCaseId}': {
      parameters: [idParam('useCaseId', 'use case id')],
      get: { ...needs('use-case:read'), summary: 'A use case with its ratings, history and linked pipelines', responses: { 200: { description: 'The use case' }, ...errors(401, 404) } },
      patch: {
        ...needs('use-case:edit'),
        summary: 'Change any subset of the fields (kept in the history)',
        requestBody: { required: true, content: json(useCaseFieldsRef) },
        responses: { 200: { description: 'The updated use case' }, ...errors(400, 401, 403, 404) },
      },
      delete: { ...needs('use-case:edit'), summary: 'Delete a use case', responses: { 204: { description: 'Deleted' }, ...errors(401, 403, 404) } },
    },
    '/api/v1/use-cases/{useCaseId}/ratings': {
      parameters: [idParam('useCaseId', 'use case id')],
      post: {
        ...needs('use-case:rate'),
        summary: "Rate the use case's severity (1–10); rating again replaces your earlier rating",
        requestBody: { required: true, content: schemaOf(ratingInput) },
        responses: { 201: { description: 'The ratings: count, median, min, max, q1, q3' }, ...errors(400, 401, 404) },
      },
    },
    '/api/v1/use-cases/{useCaseId}/severity-override': {
      parameters: [idParam('useCaseId', 'use case id')],
      put: {
        ...needs('use-case:edit'),
        summary: 'Set the severity that counts, over the ratings, with a reason (kept in the history)',
        requestBody: { required: true, content: schemaOf(severityOverride) },
        responses: { 200: { description: 'The updated use case' }, ...errors(400, 401, 403, 404) },
      },
      delete: { ...needs('use-case:edit'), summary: "Remove the override: the ratings' median counts again", responses: { 200: { description: 'The updated use case' }, ...errors(401, 403, 404) } },
    },
    '/api/v1/use-cases/{useCaseId}/pipelines': {
      parameters: [idParam('useCaseId', 'use case id')],
      get: { ...needs('use-case:read'), summary: 'Pipelines that realise the use case, with their newest run', responses: { 200: { description: 'Linked pipelines' }, ...errors(401, 404) } },
      post: {
        ...needs('use-case:edit'),
        summary: 'Link a pipeline',
        requestBody: { required: true, content: schemaOf(pipelineLinkInput) },
        responses: { 201: { description: 'Linked pipelines' }, ...errors(400, 401, 403, 404) },
      },
    },
    '/api/v1/use-cases/{useCaseId}/pipelines/{pipelineId}': {
      parameters: [idParam('useCaseId', 'use case id'), idParam('pipelineId', 'pipeline id')],
      delete: { ...needs('use-case:edit'), summary: 'Unlink a pipeline', responses: { 204: { description: 'Unlinked' }, ...errors(401, 403, 404) } },
    },
  }
}
