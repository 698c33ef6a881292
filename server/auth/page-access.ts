import { roles, type Role } from '@/db/schema'
import { describeAction, roleMeets, roleSummaries, type Action, type Requirement } from './permissions'

export type PageAccess = Requirement | 'public'

/**
 * What each page (its app/ route, as the folders spell it) needs, read from the same role table as the API.
 * The page checks it with `requirePageActor`; the not-allowed page and the navigation read it from here, and
 * test/e2e/access.e2e.test.ts opens every page as every role and fails for a page missing from this list.
 */
export const pageAccess: Record<string, PageAccess> = {
  '/': 'public', // sends everyone on to /pipelines
  '/setup': 'public',
  '/sign-in': 'public',
  '/rate/[token]': 'public', // the link's token is the permission
  '/pipelines': 'pipeline:read',
  '/pipelines/[pipelineId]': 'pipeline:read',
  '/runs/[runId]': 'pipeline:read',
  '/runs/[runId]/steps/[nodeId]': 'artifact:read',
  '/models': 'model:read',
  '/models/[name]': 'model:read',
  '/models/[name]/versions/[version]': 'model:read',
  '/models/[name]/versions/[version]/preview': 'model:read',
  '/deployments': 'deployment:read',
  '/deployments/[name]': 'deployment:read',
  '/upload': 'artifact:upload',
  '/tokens': 'token:manage-own',
  '/use-cases': 'use-case:read',
  '/use-cases/new': 'use-case:edit',
  '/use-cases/invites': 'use-case:edit',
  '/use-cases/[useCaseId]': 'use-case:read',
  '/use-cases/[useCaseId]/edit': 'use-case:edit',
  '/users': 'user:manage',
  '/audit': 'audit:read',
  '/account': 'signed-in',
}

export function mayOpenPage(role: Role, page: string): boolean {
  const access = pageAccess[page]
  return access === undefined || access === 'public' || roleMeets(role, access)
}

/** What the not-allowed page tells someone about one page: what it needs, who has that, and where to go instead. */
export interface RefusalText {
  page: string
  needs: string
  rolesThatMay: string
  back: { href: string; label: string }
}

export function refusalTexts(role: Role): RefusalText[] {
  return Object.entries(pageAccess)
    .filter(([page]) => !mayOpenPage(role, page))
    .map(([page, access]) => ({
      page,
      needs: describeAction(access as Action),
      rolesThatMay: roles
        .filter((r) => roleMeets(r, access as Requirement))
        .map((r) => roleSummaries[r].label.toLowerCase())
        .join(' or '),
      back: backFrom(role, page),
    }))
}

/** The nearest page above this one that the role may open: /use-cases/new → /use-cases. */
function backFrom(role: Role, page: string): { href: string; label: string } {
  const parent = page.split('/').slice(0, 2).join('/')
  if (parent !== page && pageAccess[parent] && mayOpenPage(role, parent)) return { href: parent, label: parent.slice(1).replace('-', ' ') }
  return { href: '/pipelines', label: 'pipelines' }
}
