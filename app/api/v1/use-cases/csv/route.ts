import { readBodyText } from '@/server/http/body'
import { BadRequestError } from '@/server/http/errors'
import { apiRoute, bodyLimits } from '@/server/http/route'
import { exportUseCasesCsv, importUseCasesCsv } from '@/server/use-cases/csv-import'

/** Every use case as CSV, one column per field and the id first; opens in any spreadsheet. */
export const GET = apiRoute('use-case:read', async ({ services }) => {
  const date = new Date().toISOString().slice(0, 10)
  return new Response(await exportUseCasesCsv(services.db), {
    headers: { 'content-type': 'text/csv; charset=utf-8', 'content-disposition': `attachment; filename="use-cases-${date}.csv"` },
  })
})

/** The CSV as the request body. All rows or none: 400 lists every problem as "row N, field F". */
export const POST = apiRoute('use-case:edit', async ({ request, services, actor, audit }) => {
  // a board of thousands of use cases fits many times over; the limit only stops accidents
  const text = await readBodyText(request, bodyLimits.csv)
  if (!text.trim()) throw new BadRequestError('The request body is empty; send the CSV text (a header row with at least "title", then one row per use case).')
  const counts = await importUseCasesCsv(services.db, text, actor.id)
  audit.on('use cases', counts)
  return Response.json(counts, { status: 201 })
}, { audit: 'use-case.import' })
