// What an approver needs beside the request's sentence: what each deployment the step would change
// serves right now, so "as a 30% canary" can be read against the version answering today.
import { z } from 'zod'
import { deploymentName } from '@/nodes/deploy/definition'
import type { StepOutputValues } from '@/nodes/contract'
import { findDeployment, servedVersions } from '@/server/deployments/deployments'
import { NotFoundError } from '@/server/errors'
import type { Services } from '@/server/services'

export interface DeploymentNow {
  name: string
  /** null: there is no such deployment yet, so approving creates it */
  serving: { model: string; versions: ReturnType<typeof servedVersions> } | null
}

const namedDeployment = z.object({ deployment: deploymentName })

/** The deployments named by the kept `deployment` outputs, each with what it serves now. */
export async function deploymentsNow(db: Services['db'], outputs: StepOutputValues): Promise<DeploymentNow[]> {
  const names = Object.values(outputs).flatMap((output) => {
    const parsed = output.type === 'deployment' ? namedDeployment.safeParse(output.value) : null
    return parsed?.success ? [parsed.data.deployment] : []
  })
  return Promise.all(
    [...new Set(names)].map(async (name) => {
      try {
        const row = await findDeployment(db, name)
        return { name, serving: { model: row.modelName, versions: servedVersions(row) } }
      } catch (error) {
        if (error instanceof NotFoundError) return { name, serving: null }
        throw error
      }
    }),
  )
}
