import { anyone, errors, idParam, needs } from './openapi-helpers'

const handoffParam = idParam('handoffId', 'the handoff id from the manifest or the webhook call')
const bearer = 'Send the handoff token as `Authorization: Bearer <token>`: it came with the webhook call, the command, or the step page.'

/** Training outside Pipewright: what the trainer reads and where it sends the model. */
export function handoffPaths() {
  return {
    '/api/v1/runs/{runId}/steps/{nodeId}/model': {
      parameters: [idParam('runId', 'run id'), idParam('nodeId', "the train step's node id")],
      post: {
        ...needs('model:register'),
        summary: 'Upload the model a waiting train step asked for (the manual handoff)',
        requestBody: { required: true, content: { 'application/octet-stream': { schema: { type: 'string', format: 'binary' } } } },
        responses: { 201: { description: 'Accepted: artifactId, stepId, runId' }, ...errors(400, 401, 403, 404, 409, 410, 413) },
      },
    },
    '/api/v1/handoffs/{handoffId}': {
      parameters: [handoffParam],
      get: { ...anyone, summary: 'The handoff manifest: task, label, labels, features, files, hyperparameters', description: bearer, responses: { 200: { description: 'manifest, files (URLs), callbackUrl, expiresAt' }, ...errors(401, 404, 410) } },
    },
    '/api/v1/handoffs/{handoffId}/files/{name}': {
      parameters: [handoffParam, idParam('name', '`train.parquet` or `validation.parquet`')],
      get: { ...anyone, summary: 'A handed-off dataset as Parquet', description: bearer, responses: { 200: { description: 'The Parquet file' }, ...errors(401, 404, 410) } },
    },
    '/api/v1/handoffs/{handoffId}/model': {
      parameters: [handoffParam],
      post: {
        ...anyone,
        summary: 'Send the trained model: the waiting step succeeds with it',
        description: `${bearer} The ONNX file is the raw body. Its inputs must be the manifest's features (one [batch, 1] input per column, float32 for numbers, string for text). A refused file leaves the step waiting until the handoff times out.`,
        requestBody: { required: true, content: { 'application/octet-stream': { schema: { type: 'string', format: 'binary' } } } },
        responses: { 201: { description: 'Accepted: artifactId, stepId, runId' }, ...errors(400, 401, 404, 409, 410, 413) },
      },
    },
  }
}

