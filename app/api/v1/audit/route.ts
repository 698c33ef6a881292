import { listAudit } from '@/server/audit/list'
import { parseAuditQuery } from '@/server/audit/query'
import { apiRoute } from '@/server/http/route'

/**
 * `?actor=&action=&outcome=&from=&to=&limit=&cursor=` → `{ entries, next }`, newest first; admins only.
 * Read-only on purpose: the log has no PUT, PATCH or DELETE, and the database refuses them too.
 */
export const GET = apiRoute('audit:read', async ({ request, services }) => listAudit(services.db, parseAuditQuery(new URL(request.url).searchParams)))
