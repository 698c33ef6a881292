import { maxPageRows } from '@/server/artifacts/rows'
import { thumbnailSize } from '@/server/artifacts/thumbnails'
import { errors, idParam, json, needs } from './openapi-helpers'

/** Looking at data: a dataset's rows page by page, and the images an image dataset points at. */
export function dataPaths() {
  return {
    '/api/v1/artifacts/{artifactId}/rows': {
      parameters: [
        idParam('artifactId', 'sha256 of a dataset artifact'),
        { name: 'offset', in: 'query', schema: { type: 'integer', minimum: 0, default: 0 }, description: 'rows to skip from the start' },
        { name: 'limit', in: 'query', schema: { type: 'integer', minimum: 1, maximum: maxPageRows, default: 100 } },
      ],
      get: {
        ...needs('artifact:read'),
        summary: 'One page of a dataset’s rows',
        description: 'Values are JSON-safe: integers beyond 2^53 as decimal strings, dates and timestamps as ISO 8601 text, lists as arrays, structs as objects.',
        responses: {
          200: {
            description: 'The page and the dataset’s row count',
            content: json({
              type: 'object',
              required: ['rows', 'total', 'offset'],
              properties: { rows: { type: 'array', items: { type: 'object' } }, total: { type: 'integer' }, offset: { type: 'integer' } },
            }),
          },
          ...errors(400, 401, 404),
        },
      },
    },
    '/api/v1/blobs/{blobId}': {
      parameters: [
        idParam('blobId', 'sha256 of an image blob (the `image` column of an image dataset)'),
        { name: 'thumb', in: 'query', schema: { type: 'string', enum: ['0', '1'], default: '0' }, description: `1: a WebP thumbnail, at most ${thumbnailSize} px on its longer side` },
      ],
      get: {
        ...needs('artifact:read'),
        summary: 'An image blob with its media type, or its thumbnail',
        description: 'Only raster images (kind `file`, media type image/* other than SVG); anything else is a 404. Immutable: cached by browsers for a year.',
        responses: {
          200: { description: 'The image bytes', content: { 'image/*': { schema: { type: 'string', format: 'binary' } } } },
          ...errors(400, 401, 404, 415),
        },
      },
    },
  }
}
