import { supportedOpsets } from '@/server/models/inspect'
import { errors, idParam, json, needs } from './openapi-helpers'

const nameParam = idParam('name', 'model name: lower-case letters, digits and "-"')
const versionParam = idParam('version', 'version number: 1, 2, …')
const tensor = { type: 'object', properties: { name: { type: 'string' }, type: { type: 'string' }, shape: { type: 'array', items: { type: ['integer', 'string'] } } } }
const nameVersion = json({ type: 'object', required: ['name', 'version'], properties: { name: { type: 'string' }, version: { type: 'integer' } } })

/** The model registry: named models, numbered versions, aliases. */
export function modelPaths() {
  return {
    '/api/v1/models': {
      get: {
        ...needs('model:read'),
        summary: 'Registered models with their latest version and aliases',
        responses: { 200: { description: 'Models by name', content: json({ type: 'object', properties: { models: { type: 'array', items: { type: 'object' } } } }) }, ...errors(401, 403) },
      },
    },
    '/api/v1/models/{name}': {
      parameters: [nameParam],
      get: { ...needs('model:read'), summary: "One model's versions, newest first, and its aliases", responses: { 200: { description: 'Model' }, ...errors(401, 403, 404) } },
    },
    '/api/v1/models/{name}/versions': {
      parameters: [nameParam],
      post: {
        ...needs('model:register'),
        summary: 'Import an ONNX file as the next version of a model (created on its first version)',
        description:
          `The file is the raw body, at most PIPEWRIGHT_MAX_UPLOAD_BYTES. It must load in onnxruntime-node and import ai.onnx operator set ${supportedOpsets.min}–${supportedOpsets.max}. ` +
          'With `labels`, the task is classification and the labels must number as the classes of the score output when that dimension is fixed. The same bytes imported twice are two versions sharing one blob.',
        parameters: [{ name: 'labels', in: 'query', required: false, schema: { type: 'string' }, description: 'class names, comma-separated, in the order of the probabilities' }],
        requestBody: { required: true, content: { 'application/octet-stream': { schema: { type: 'string', format: 'binary' } } } },
        responses: { 201: { description: 'Imported', content: nameVersion }, ...errors(400, 401, 403, 413) },
      },
    },
    '/api/v1/models/{name}/versions/{version}': {
      parameters: [nameParam, versionParam],
      get: {
        ...needs('model:read'),
        summary: 'One version: signature, labels, aliases, lineage and the rest of its metadata',
        responses: {
          200: {
            description: 'Version',
            content: json({
              type: 'object',
              properties: {
                name: { type: 'string' },
                version: { type: 'integer' },
                artifactId: { type: 'string' },
                task: { type: 'string' },
                inputs: { type: 'array', items: tensor },
                outputs: { type: 'array', items: tensor },
                labels: { type: ['array', 'null'], items: { type: 'string' } },
                aliases: { type: 'array', items: { type: 'string' } },
                lineage: { type: ['object', 'null'] },
              },
            }),
          },
          ...errors(401, 403, 404),
        },
      },
      patch: {
        ...needs('model:register'),
        summary: "Edit the version's description and tags (audited with before and after)",
        requestBody: {
          required: true,
          content: json({
            type: 'object',
            properties: {
              description: { type: ['string', 'null'], maxLength: 5000, description: 'null or "" clears it' },
              tags: { type: 'array', maxItems: 50, items: { type: 'string', maxLength: 64 }, description: 'replaces the tags; each once' },
            },
          }),
        },
        responses: {
          200: { description: 'Edited', content: json({ type: 'object', properties: { name: { type: 'string' }, version: { type: 'integer' }, description: { type: ['string', 'null'] }, tags: { type: 'array', items: { type: 'string' } } } }) },
          ...errors(400, 401, 403, 404),
        },
      },
    },
    '/api/v1/models/{name}/versions/{version}/content': {
      parameters: [nameParam, versionParam],
      get: {
        ...needs('model:read'),
        summary: "The version's ONNX file",
        responses: { 200: { description: 'ONNX bytes', content: { 'application/onnx': { schema: { type: 'string', format: 'binary' } } } }, ...errors(401, 403, 404) },
      },
    },
    '/api/v1/models/{name}/aliases/{alias}': {
      parameters: [nameParam, idParam('alias', 'alias: champion, challenger or any lower-case slug')],
      put: {
        ...needs('model:register'),
        summary: 'Point an alias at a version; the move (who, from, to) lands in the audit log',
        requestBody: { required: true, content: json({ type: 'object', required: ['version'], properties: { version: { type: 'integer', minimum: 1 } } }) },
        responses: {
          200: { description: 'Moved', content: json({ type: 'object', properties: { from: { type: ['integer', 'null'] }, to: { type: 'integer' } } }) },
          ...errors(400, 401, 403, 404),
        },
      },
    },
  }
}
