import { createDeploymentBody } from '@/server/deployments/bodies'
import { createDeployment, deploymentView, listDeploymentRows } from '@/server/deployments/deployments'
import { changedBy, served } from '@/server/deployments/routes'
import { apiRoute, bodyLimits, readJson } from '@/server/http/route'

/** Every deployment with its versions, weights and state. */
export const GET = apiRoute('deployment:read', async ({ services }) => {
  const rows = await listDeploymentRows(services.db)
  return { deployments: rows.map(deploymentView) }
})

/** `{ name, model, version | alias, target: "server", strategy }` → `{ name }`; serving picks it up within a second. */
export const POST = apiRoute(
  'deployment:manage',
  async ({ request, services, actor, audit }) => {
    const body = createDeploymentBody.parse(await readJson(request, { maxBytes: bodyLimits.json }))
    const row = await createDeployment(services.db, body, changedBy(actor))
    audit.on(`deployment ${row.name}`, { model: row.modelName, version: row.stableVersion, ...(row.alias ? { alias: row.alias } : {}) })
    await served(services, row.name)
    return Response.json(deploymentView(row), { status: 201 })
  },
  { audit: 'deployment.create' },
)
