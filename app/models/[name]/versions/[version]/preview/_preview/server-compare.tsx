'use client'
import { useState } from 'react'
import { Scale } from 'lucide-react'
import { Alert } from '@/app/_components/alert'
import type { Answer } from './answer'
import { compareAnswers, serverAnswerSchema, type Comparison, type ServerAnswer } from './compare'
import type { RecordValue } from './feeds'

/** Below this the two runtimes agree as well as they are built to (the parity suite's tolerance). */
const agreeWithin = 1e-5

type State =
  | { phase: 'idle' }
  | { phase: 'asking' }
  | { phase: 'failed'; error: string }
  | { phase: 'done'; server: ServerAnswer; comparison: Comparison }

async function askServer(deployment: string, record: Record<string, RecordValue>): Promise<ServerAnswer> {
  const response = await fetch(`/api/v1/deployments/${encodeURIComponent(deployment)}/predict`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    credentials: 'same-origin',
    body: JSON.stringify({ records: [record] }),
  })
  const text = await response.text()
  let body: unknown = null
  try {
    body = JSON.parse(text)
  } catch {
    // not JSON: shown as text below
  }
  if (!response.ok) throw new Error(`The server answered ${response.status}: ${refusalText(response, body, text, deployment)}`)
  const parsed = serverAnswerSchema.safeParse(body)
  if (!parsed.success) throw new Error(`The server's answer is not a prediction: ${parsed.error.issues[0]?.message ?? 'unexpected shape'}.`)
  return parsed.data
}

/** The route's own error when it gave one; an HTML page means no route answered at all. */
function refusalText(response: Response, body: unknown, text: string, deployment: string): string {
  if (body && typeof body === 'object' && 'error' in body && typeof body.error === 'string') return body.error
  if ((response.headers.get('content-type') ?? '').includes('text/html') || text.trimStart().startsWith('<')) {
    return `no predict route answered for deployment "${deployment}" (a page came back, not JSON). Is serving set up on this server?`
  }
  return text.slice(0, 300) || response.statusText
}

/** Sends the record the browser just scored to a deployment and shows how far apart the two answers are. */
export function ServerCompare({ deployment, answer, record }: { deployment: string; answer: Answer | null; record: (() => Promise<Record<string, RecordValue>>) | null }) {
  const [state, setState] = useState<State>({ phase: 'idle' })

  async function compare() {
    if (!answer || !record) return
    setState({ phase: 'asking' })
    try {
      const server = await askServer(deployment, await record())
      setState({ phase: 'done', server, comparison: compareAnswers(answer, server.predictions[0]!) })
    } catch (error) {
      setState({ phase: 'failed', error: error instanceof Error ? error.message : String(error) })
    }
  }

  return (
    <div className="space-y-3" data-testid="preview-compare">
      <div className="flex flex-wrap items-center gap-3">
        <button type="button" className="btn-secondary" disabled={!answer || state.phase === 'asking'} onClick={() => void compare()} data-testid="preview-compare-run">
          <Scale className="size-4" aria-hidden /> {state.phase === 'asking' ? 'Asking the server…' : `Compare with deployment ${deployment}`}
        </button>
        {!answer ? <span className="text-xs text-zinc-500">Predict first; the same input then goes to the server.</span> : null}
      </div>
      {state.phase === 'failed' ? (
        <Alert testId="preview-compare-error" title="The server could not answer">
          {state.error}
        </Alert>
      ) : null}
      {state.phase === 'done' ? <ComparisonTable server={state.server} comparison={state.comparison} /> : null}
    </div>
  )
}

function ComparisonTable({ server, comparison }: { server: ServerAnswer; comparison: Comparison }) {
  const prediction = server.predictions[0]!
  const agrees = comparison.largest !== null && comparison.largest <= agreeWithin && comparison.sameLabel !== false
  return (
    <div className="space-y-2 text-sm">
      <Alert tone={agrees ? 'success' : 'warning'} testId="preview-compare-result">
        {comparison.largest === null ? 'Nothing to compare: the server gave no scores or value.' : (
          <>
            Largest absolute difference: <span className="font-mono" data-testid="preview-compare-largest">{comparison.largest.toExponential(2)}</span>
            {comparison.sameLabel === false ? `; the labels differ (server: ${prediction.label})` : comparison.sameLabel ? '; the same label' : ''}
            {server.modelVersion !== undefined ? `; the deployment serves version ${server.modelVersion}` : ''}
            {prediction.fallback ? '; the server answered with its fallback' : ''}.
          </>
        )}
      </Alert>
      {comparison.perLabel.length > 0 ? (
        <table className="w-full text-left text-xs">
          <thead className="text-zinc-500">
            <tr>
              <th className="py-1 font-medium">label</th>
              <th className="py-1 text-right font-medium">browser</th>
              <th className="py-1 text-right font-medium">server</th>
              <th className="py-1 text-right font-medium">|difference|</th>
            </tr>
          </thead>
          <tbody className="font-mono tabular-nums">
            {comparison.perLabel.map((row) => (
              <tr key={row.label} className="border-t border-zinc-100">
                <td className="py-1 font-sans">{row.label}</td>
                <td className="py-1 text-right">{row.browser?.toFixed(6) ?? '–'}</td>
                <td className="py-1 text-right">{row.server?.toFixed(6) ?? '–'}</td>
                <td className="py-1 text-right">{row.difference === null ? 'only one side' : row.difference.toExponential(2)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
    </div>
  )
}
