/** The JSON error body every REST route returns (see server/http/errors.ts). */
export interface ApiErrorBody {
  error?: string
  path?: string
  errors?: { path: string; message: string }[]
}

export type PostResult<T> = { ok: true; data: T } | { ok: false; status: number; error: string; fieldErrors: Record<string, string> }

/** POST a JSON body; a failure comes back with the server's message and the first problem per field. */
export function postJson<T>(url: string, body: unknown): Promise<PostResult<T>> {
  return sendJson<T>('POST', url, body)
}

/** Any method, with or without a JSON body; answers as `postJson` does (204 gives `data: null`). */
export async function sendJson<T>(method: 'POST' | 'PUT' | 'PATCH' | 'DELETE', url: string, body?: unknown): Promise<PostResult<T>> {
  let response: Response
  try {
    const init: RequestInit = body === undefined ? { method } : { method, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }
    response = await fetch(url, init)
  } catch {
    return { ok: false, status: 0, error: 'Could not reach the server. Is it running?', fieldErrors: {} }
  }
  const json = (response.status === 204 ? null : await response.json().catch(() => ({}))) as unknown
  if (response.ok) return { ok: true, data: json as T }
  const errorBody = (json ?? {}) as ApiErrorBody
  const fieldErrors: Record<string, string> = {}
  for (const issue of errorBody.errors ?? []) {
    if (issue.path && !(issue.path in fieldErrors)) fieldErrors[issue.path] = issue.message
  }
  return {
    ok: false,
    status: response.status,
    error: errorBody.error ?? `The server answered ${response.status} ${response.statusText}.`,
    fieldErrors,
  }
}
