import { fetchRequestHandler } from '@trpc/server/adapters/fetch'
import { appRouter } from '@/server/api/root'
import { createContext } from '@/server/api/trpc'
import { readBodyBytes } from '@/server/http/body'
import { errorResponse } from '@/server/http/route'

/** A pipeline file (5 MiB at most) with the batch envelope around it; anything larger is refused while streaming. */
const maxTrpcBodyBytes = 6 * 1024 * 1024

async function handler(req: Request): Promise<Response> {
  let request = req
  if (req.method === 'POST') {
    try {
      const body = await readBodyBytes(req, maxTrpcBodyBytes)
      request = new Request(req.url, { method: req.method, headers: req.headers, body, signal: req.signal })
    } catch (error) {
      return errorResponse(error)
    }
  }
  return fetchRequestHandler({ endpoint: '/api/trpc', req: request, router: appRouter, createContext: () => createContext({ req: request }) })
}

export { handler as GET, handler as POST }
