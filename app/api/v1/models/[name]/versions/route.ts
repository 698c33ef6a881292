import { z } from 'zod'
import { importModelVersion } from '@/server/models/registry'
import { readBodyBytes } from '@/server/http/body'
import { parseNewSlug } from '@/server/http/ids'
import { apiRoute } from '@/server/http/route'
import { text } from '@/server/validation/text'

/** `?labels=setosa,versicolor,virginica`: class names in the order of the model's probabilities. */
const labelsQuery = z
  .string()
  .max(100_000)
  .transform((value) => value.split(',').map((label) => label.trim()))
  .pipe(z.array(text({ max: 1000 }).pipe(z.string().min(1, 'a label is empty: separate labels with single commas'))).max(10_000))
  .optional()

/** `POST /api/v1/models/{name}/versions?labels=a,b`, the ONNX file as the raw body → `{ name, version }`. */
export const POST = apiRoute<{ name: string }>('model:register', async ({ request, params, services, actor, audit }) => {
  const name = parseNewSlug(params.name, 'model name')
  const { labels } = z.object({ labels: labelsQuery }).parse({ labels: new URL(request.url).searchParams.get('labels') ?? undefined })
  const bytes = await readBodyBytes(request, services.env.PIPEWRIGHT_MAX_UPLOAD_BYTES)
  const imported = await importModelVersion(services, { name, bytes, labels, actorId: actor.id })
  audit.on(`model ${imported.name} version ${imported.version}`, { artifactId: imported.artifactId, labels: labels ?? null })
  return Response.json({ name: imported.name, version: imported.version }, { status: 201 })
}, { audit: 'model.import' })
