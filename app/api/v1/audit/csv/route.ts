import { auditCsvStream } from '@/server/audit/csv'
import { parseAuditQuery } from '@/server/audit/query'
import { apiRoute } from '@/server/http/route'

/** Every entry matching the same filters as `GET /api/v1/audit` (no paging), as CSV; admins only. */
export const GET = apiRoute('audit:read', async ({ request, services }) => {
  const query = parseAuditQuery(new URL(request.url).searchParams)
  const date = new Date().toISOString().slice(0, 10)
  return new Response(auditCsvStream(services.db, query), {
    headers: { 'content-type': 'text/csv; charset=utf-8', 'content-disposition': `attachment; filename="audit-log-${date}.csv"` },
  })
})
