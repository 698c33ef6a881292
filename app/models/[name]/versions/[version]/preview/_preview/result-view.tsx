'use client'
import type { Answer } from './answer'
import { formatMs, topScores } from './answer'
import { formatNumber } from './feeds'

export interface Latency {
  createMs: number
  /** null while the runs are being timed */
  p50Ms: number | null
  runs: number
}

/** The browser's answer: the predicted label with the best classes as bars, or the value; then the latency. */
export function ResultView({ answer, latency, task }: { answer: Answer; latency: Latency; task: 'classification' | 'regression' }) {
  return (
    <div className="space-y-4" data-testid="preview-result">
      {task === 'regression' ? (
        <div>
          <p className="text-xs font-medium tracking-wide text-zinc-500 uppercase">Predicted value</p>
          <p className="font-mono text-3xl font-semibold tabular-nums" data-testid="preview-value">
            {answer.value === null ? '–' : formatNumber(answer.value)}
          </p>
        </div>
      ) : (
        <div>
          <p className="text-xs font-medium tracking-wide text-zinc-500 uppercase">Predicted label</p>
          <p className="text-3xl font-semibold" data-testid="preview-label">
            {answer.label ?? '–'}
          </p>
        </div>
      )}
      {answer.scores ? <ScoreBars scores={answer.scores} /> : null}
      <LatencyLine latency={latency} />
    </div>
  )
}

function ScoreBars({ scores }: { scores: Record<string, number> }) {
  const top = topScores(scores, 5)
  const total = Object.keys(scores).length
  return (
    <div>
      <p className="mb-1.5 text-xs text-zinc-500">{total > top.length ? `Top ${top.length} of ${total} classes` : 'Scores'}</p>
      <ol className="space-y-1.5" data-testid="preview-scores">
        {top.map(({ label, score }) => (
          <li key={label} className="grid grid-cols-[minmax(6rem,10rem)_1fr_5.5rem] items-center gap-3 text-sm" data-testid="preview-score" data-label={label} data-score={String(score)}>
            <span className="truncate" title={label}>
              {label}
            </span>
            <span className="h-2.5 overflow-hidden rounded-full bg-zinc-100" aria-hidden>
              <span className="block h-full rounded-full bg-accent-500" style={{ width: `${Math.max(0, Math.min(1, score)) * 100}%` }} />
            </span>
            <span className="text-right font-mono text-xs tabular-nums">{score.toFixed(6)}</span>
          </li>
        ))}
      </ol>
    </div>
  )
}

function LatencyLine({ latency }: { latency: Latency }) {
  return (
    <dl className="grid grid-cols-2 gap-3 border-t border-zinc-100 pt-3 text-sm" data-testid="preview-latency">
      <div>
        <dt className="text-xs text-zinc-500">Session created in</dt>
        <dd className="font-mono tabular-nums" data-testid="preview-create-ms">
          {formatMs(latency.createMs)}
        </dd>
      </div>
      <div>
        <dt className="text-xs text-zinc-500">One prediction (p50 of {latency.runs} runs)</dt>
        <dd className="font-mono tabular-nums" data-testid="preview-p50-ms">
          {latency.p50Ms === null ? 'measuring…' : formatMs(latency.p50Ms)}
        </dd>
      </div>
    </dl>
  )
}
