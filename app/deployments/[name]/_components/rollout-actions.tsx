'use client'
import { useRouter } from 'next/navigation'
import { useState, type FormEvent, type ReactNode } from 'react'
import { Alert } from '@/app/_components/alert'
import { sendJson } from '@/app/_lib/post-json'

type Strategy = 'canary' | 'shadow' | 'blue-green'

export interface RolloutState {
  name: string
  stableVersion: number
  previousVersion: number | null
  challenger: { version: number; strategy: Strategy; weight: number } | null
  paused: boolean
  /** the model's versions, newest first */
  modelVersions: number[]
}

const strategyHelp: Record<Strategy, string> = {
  canary: 'answers the given share of requests; the rest stay on stable',
  shadow: 'sees a copy of every request; its answers are logged, never returned',
  'blue-green': 'loaded and warm beside stable, answers nothing until you promote it',
}

/** Roll out, re-weight, promote, roll back, pause and resume: each one REST call, then the page re-reads. */
export function RolloutActions({ state }: { state: RolloutState }) {
  const router = useRouter()
  const [busy, setBusy] = useState<string | null>(null)
  const [result, setResult] = useState<{ ok: boolean; text: string } | null>(null)
  const base = `/api/v1/deployments/${encodeURIComponent(state.name)}`

  async function act(what: string, path: string, body: unknown, done: string) {
    setBusy(what)
    setResult(null)
    const answer = await sendJson('POST', `${base}/${path}`, body)
    setBusy(null)
    if (!answer.ok) {
      const field = Object.entries(answer.fieldErrors)[0]
      setResult({ ok: false, text: field && !answer.error.includes(field[1]) ? `${answer.error} (${field[0]}: ${field[1]})` : answer.error })
      return
    }
    setResult({ ok: true, text: done })
    router.refresh()
  }

  const { challenger, paused } = state
  return (
    <div className="space-y-4" data-testid="rollout-actions">
      {challenger ? (
        <Running state={state} challenger={challenger} busy={busy} act={act} />
      ) : (
        <StartRollout state={state} busy={busy} act={act} />
      )}
      <div className="flex flex-wrap items-center gap-2 border-t border-zinc-100 pt-3">
        {challenger || state.previousVersion !== null ? (
          <button
            type="button"
            className="btn-danger"
            disabled={busy !== null}
            onClick={() => act('rollback', 'rollback', undefined, challenger ? `Rolled back: v${challenger.version} withdrawn, v${state.stableVersion} answers everything.` : `Rolled back to v${state.previousVersion}.`)}
            data-testid="rollback"
          >
            {busy === 'rollback' ? 'Rolling back…' : challenger ? `Roll back to v${state.stableVersion} only` : `Roll back to v${state.previousVersion}`}
          </button>
        ) : (
          <span className="text-xs text-zinc-500">Nothing to roll back to yet: this deployment has only served v{state.stableVersion}.</span>
        )}
        {challenger && !paused ? (
          <button type="button" className="btn-secondary" disabled={busy !== null} onClick={() => act('pause', 'pause', undefined, 'Paused: the split stays as it is until you resume.')} data-testid="pause">
            {busy === 'pause' ? 'Pausing…' : 'Pause rollout'}
          </button>
        ) : null}
        {paused ? (
          <button type="button" className="btn-secondary" disabled={busy !== null} onClick={() => act('resume', 'resume', undefined, 'Resumed.')} data-testid="resume">
            {busy === 'resume' ? 'Resuming…' : 'Resume rollout'}
          </button>
        ) : null}
      </div>
      {result ? (
        <Alert tone={result.ok ? 'success' : 'error'} testId="rollout-result">
          {result.text}
        </Alert>
      ) : null}
    </div>
  )
}

type Act = (what: string, path: string, body: unknown, done: string) => Promise<void>

function StartRollout({ state, busy, act }: { state: RolloutState; busy: string | null; act: Act }) {
  const candidates = state.modelVersions.filter((v) => v !== state.stableVersion)
  const [version, setVersion] = useState<number | null>(candidates[0] ?? null)
  const [strategy, setStrategy] = useState<Strategy>('canary')
  const [weight, setWeight] = useState('10')
  if (candidates.length === 0) {
    return <p className="text-sm text-zinc-500">The model has no other version to roll out: register a new version (train again, or import one) and come back.</p>
  }
  const submit = (event: FormEvent) => {
    event.preventDefault()
    if (version === null) return
    const body = strategy === 'canary' ? { version, strategy, weight: Number(weight) } : { version, strategy }
    void act('rollout', 'rollout', body, strategy === 'canary' ? `v${version} is out as a ${weight}% canary.` : `v${version} is out (${strategy}).`)
  }
  return (
    <form onSubmit={submit} className="space-y-3" aria-label="Roll out a version" data-testid="rollout-form">
      <div className="grid gap-3 sm:grid-cols-3">
        <Labelled label="Version" htmlFor="rollout-version">
          <select id="rollout-version" className="input" value={version ?? ''} onChange={(e) => setVersion(Number(e.target.value))} data-testid="rollout-version">
            {candidates.map((v) => (
              <option key={v} value={v}>
                v{v}
                {v > state.stableVersion ? ' (newer)' : ' (older)'}
              </option>
            ))}
          </select>
        </Labelled>
        <Labelled label="Strategy" htmlFor="rollout-strategy">
          <select id="rollout-strategy" className="input" value={strategy} onChange={(e) => setStrategy(e.target.value as Strategy)} data-testid="rollout-strategy">
            <option value="canary">canary</option>
            <option value="shadow">shadow</option>
            <option value="blue-green">blue-green</option>
          </select>
        </Labelled>
        {strategy === 'canary' ? (
          <Labelled label="Share of requests (%)" htmlFor="rollout-weight">
            <input id="rollout-weight" className="input" type="number" min={1} max={99} step="any" value={weight} onChange={(e) => setWeight(e.target.value)} required data-testid="rollout-weight" />
          </Labelled>
        ) : null}
      </div>
      <p className="text-xs text-zinc-500">
        The new version {strategyHelp[strategy]}. v{state.stableVersion} stays stable until you promote.
      </p>
      <button type="submit" className="btn-primary" disabled={busy !== null || state.paused || version === null} data-testid="rollout-submit">
        {busy === 'rollout' ? 'Rolling out…' : `Roll out v${version ?? '?'}`}
      </button>
    </form>
  )
}

function Running({ state, challenger, busy, act }: { state: RolloutState; challenger: NonNullable<RolloutState['challenger']>; busy: string | null; act: Act }) {
  const [weight, setWeight] = useState(String(challenger.weight))
  const setCanaryWeight = (event: FormEvent) => {
    event.preventDefault()
    void act('weight', 'rollout', { version: challenger.version, strategy: 'canary', weight: Number(weight) }, `The canary v${challenger.version} now answers ${weight}% of requests.`)
  }
  return (
    <div className="space-y-3">
      <p className="text-sm text-zinc-700">
        <b>v{challenger.version}</b> is rolling out as {challenger.strategy === 'canary' ? `a canary answering ${challenger.weight}% of requests` : challenger.strategy === 'shadow' ? 'a shadow (it sees every request, answers none)' : 'the blue-green preview (warm, no traffic)'}
        ; v{state.stableVersion} is stable.{state.paused ? ' The rollout is paused: resume it to change the weight or promote.' : ''}
      </p>
      {challenger.strategy === 'canary' ? (
        <form onSubmit={setCanaryWeight} className="flex flex-wrap items-end gap-2" aria-label="Change the canary weight" data-testid="weight-form">
          <Labelled label="Canary share (%)" htmlFor="canary-weight">
            <input id="canary-weight" className="input w-28" type="number" min={0} max={100} step="any" value={weight} onChange={(e) => setWeight(e.target.value)} required disabled={state.paused} data-testid="canary-weight" />
          </Labelled>
          <button type="submit" className="btn-secondary" disabled={busy !== null || state.paused || Number(weight) === challenger.weight} data-testid="weight-submit">
            {busy === 'weight' ? 'Saving…' : 'Set weight'}
          </button>
        </form>
      ) : null}
      <button
        type="button"
        className="btn-primary"
        disabled={busy !== null || state.paused}
        onClick={() => act('promote', 'promote', undefined, `v${challenger.version} is stable now and answers everything; v${state.stableVersion} is kept for rollback.`)}
        data-testid="promote"
      >
        {busy === 'promote' ? 'Promoting…' : `Promote v${challenger.version} to stable`}
      </button>
    </div>
  )
}

function Labelled({ label, htmlFor, children }: { label: string; htmlFor: string; children: ReactNode }) {
  return (
    <div>
      <label htmlFor={htmlFor} className="mb-1 block text-sm font-medium text-zinc-700">
        {label}
      </label>
      {children}
    </div>
  )
}
