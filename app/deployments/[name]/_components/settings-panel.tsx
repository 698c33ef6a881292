'use client'
import { useRouter } from 'next/navigation'
import { useState, type FormEvent } from 'react'
import { Alert } from '@/app/_components/alert'
import { sendJson } from '@/app/_lib/post-json'
import { failsafeOf, fieldsOf, type ActionType, type FailsafeFields } from './failsafe-form'

export interface SettingsState {
  name: string
  public: boolean
  logSample: number
  failsafe: Record<string, unknown> | null
  /** a classifier has labels and confidence; a regressor has values */
  task: string
}

/** Public, the log sample and the fail-safe, saved in one PATCH; the server's refusal is shown as it says it. */
export function SettingsPanel({ state }: { state: SettingsState }) {
  const router = useRouter()
  const [isPublic, setPublic] = useState(state.public)
  const [logPercent, setLogPercent] = useState(String(Math.round(state.logSample * 1000) / 10))
  const [fields, setFields] = useState<FailsafeFields>(() => fieldsOf(state.failsafe))
  const [busy, setBusy] = useState(false)
  const [result, setResult] = useState<{ ok: boolean; text: string } | null>(null)
  const set = <K extends keyof FailsafeFields>(key: K, value: FailsafeFields[K]) => setFields((f) => ({ ...f, [key]: value }))

  const save = async (event: FormEvent) => {
    event.preventDefault()
    setResult(null)
    const failsafe = failsafeOf(fields)
    if ('error' in failsafe) return setResult({ ok: false, text: failsafe.error })
    const percent = Number(logPercent)
    if (logPercent.trim() === '' || !Number.isFinite(percent) || percent < 0 || percent > 100) return setResult({ ok: false, text: 'The log sample must be a percentage from 0 to 100.' })
    // only what changed is sent, so the history says what someone actually changed
    const changes: Record<string, unknown> = {}
    if (isPublic !== state.public) changes.public = isPublic
    if (Math.abs(percent / 100 - state.logSample) > 1e-9) changes.logSample = percent / 100
    if (JSON.stringify(failsafe.failsafe) !== JSON.stringify(state.failsafe)) changes.failsafe = failsafe.failsafe
    if (Object.keys(changes).length === 0) return setResult({ ok: true, text: 'Nothing changed: there is nothing to save.' })
    setBusy(true)
    const answer = await sendJson('PATCH', `/api/v1/deployments/${encodeURIComponent(state.name)}`, changes)
    setBusy(false)
    if (!answer.ok) {
      const field = Object.entries(answer.fieldErrors)[0]
      return setResult({ ok: false, text: field && !answer.error.includes(field[1]) ? `${answer.error} (${field[0]}: ${field[1]})` : answer.error })
    }
    setResult({ ok: true, text: 'Saved: serving follows within a second.' })
    router.refresh()
  }

  const classifier = state.task === 'classification'
  return (
    <form onSubmit={save} className="card space-y-4 p-4" aria-label="Deployment settings" data-testid="settings-form">
      <label className="flex items-start gap-2 text-sm">
        <input type="checkbox" className="mt-0.5" checked={isPublic} onChange={(e) => setPublic(e.target.checked)} data-testid="setting-public" />
        <span>
          <b className="font-medium">Public</b>
          <span className="block text-xs text-zinc-500">Anyone may call the inference endpoints without a token. Off: callers need an API token.</span>
        </span>
      </label>
      <div>
        <label htmlFor="log-sample" className="mb-1 block text-sm font-medium text-zinc-700">
          Log sample (% of requests written to the prediction log)
        </label>
        <input id="log-sample" className="input w-32" type="number" min={0} max={100} step="any" value={logPercent} onChange={(e) => setLogPercent(e.target.value)} data-testid="setting-log-sample" />
      </div>

      <fieldset className="space-y-3 border-t border-zinc-100 pt-3">
        <legend className="sr-only">Fail-safe</legend>
        <label className="flex items-start gap-2 text-sm">
          <input type="checkbox" className="mt-0.5" checked={fields.enabled} onChange={(e) => set('enabled', e.target.checked)} data-testid="failsafe-enabled" />
          <span>
            <b className="font-medium">Fail-safe</b>
            <span className="block text-xs text-zinc-500">When the model is not to be trusted (low confidence, inputs outside the training data, an error), a plain rule answers instead.</span>
          </span>
        </label>
        {fields.enabled ? (
          <div className="grid gap-3 pl-6 sm:grid-cols-2">
            <div>
              <label htmlFor="min-confidence" className="mb-1 block text-sm font-medium text-zinc-700">
                Minimum confidence (0–1)
              </label>
              <input id="min-confidence" className="input" inputMode="decimal" value={fields.minConfidence} onChange={(e) => set('minConfidence', e.target.value)} placeholder={classifier ? 'e.g. 0.6; empty: not checked' : 'classifiers only'} data-testid="failsafe-min-confidence" />
            </div>
            <div>
              <label className="mb-1 flex items-center gap-2 text-sm font-medium text-zinc-700">
                <input type="checkbox" checked={fields.outOfRange} onChange={(e) => set('outOfRange', e.target.checked)} data-testid="failsafe-out-of-range" /> Inputs out of the training range
              </label>
              <input aria-label="Out-of-range tolerance" className="input w-28" inputMode="decimal" value={fields.tolerance} onChange={(e) => set('tolerance', e.target.value)} disabled={!fields.outOfRange} data-testid="failsafe-tolerance" />
              <p className="mt-1 text-xs text-zinc-500">Tolerance, as a fraction of the training range: 0.1 lets inputs go 10% beyond its min and max.</p>
              <label className="mt-1 flex items-center gap-2 text-xs text-zinc-600">
                <input type="checkbox" checked={fields.unknownCategories} onChange={(e) => set('unknownCategories', e.target.checked)} disabled={!fields.outOfRange} /> an unseen category counts as out of range
              </label>
            </div>
            <label className="flex items-center gap-2 text-sm sm:col-span-2">
              <input type="checkbox" checked={fields.onModelError} onChange={(e) => set('onModelError', e.target.checked)} /> Answer with the fail-safe when the model fails or times out
            </label>
            <div>
              <label htmlFor="failsafe-action" className="mb-1 block text-sm font-medium text-zinc-700">
                Then answer with
              </label>
              <select id="failsafe-action" className="input" value={fields.action} onChange={(e) => set('action', e.target.value as ActionType)} data-testid="failsafe-action">
                <option value="label">a fixed label</option>
                <option value="value">a fixed value</option>
                <option value="refuse">a refusal (a person decides)</option>
                <option value="rules">rules over the raw features (JSON)</option>
              </select>
            </div>
            <div>
              {fields.action === 'label' ? (
                <>
                  <label htmlFor="failsafe-label" className="mb-1 block text-sm font-medium text-zinc-700">Label</label>
                  <input id="failsafe-label" className="input" value={fields.label} onChange={(e) => set('label', e.target.value)} data-testid="failsafe-label" />
                </>
              ) : fields.action === 'value' ? (
                <>
                  <label htmlFor="failsafe-value" className="mb-1 block text-sm font-medium text-zinc-700">Value</label>
                  <input id="failsafe-value" className="input" inputMode="decimal" value={fields.value} onChange={(e) => set('value', e.target.value)} data-testid="failsafe-value" />
                </>
              ) : fields.action === 'refuse' ? (
                <>
                  <label htmlFor="failsafe-message" className="mb-1 block text-sm font-medium text-zinc-700">Message to the caller (optional)</label>
                  <input id="failsafe-message" className="input" value={fields.refuseMessage} onChange={(e) => set('refuseMessage', e.target.value)} data-testid="failsafe-message" />
                </>
              ) : null}
            </div>
            {fields.action === 'rules' ? (
              <div className="sm:col-span-2">
                <label htmlFor="failsafe-rules" className="mb-1 block text-sm font-medium text-zinc-700">
                  Rules: the first whose condition holds answers; otherwise answers the rest
                </label>
                <textarea id="failsafe-rules" className="input h-48 font-mono text-xs" value={fields.rulesJson} onChange={(e) => set('rulesJson', e.target.value)} spellCheck={false} data-testid="failsafe-rules" />
              </div>
            ) : null}
          </div>
        ) : null}
      </fieldset>

      <div className="flex items-center gap-3 border-t border-zinc-100 pt-3">
        <button type="submit" className="btn-primary" disabled={busy} data-testid="settings-save">
          {busy ? 'Saving…' : 'Save settings'}
        </button>
        <span className="text-xs text-zinc-500">The fail-safe is checked against the stable version: its labels, features and task.</span>
      </div>
      {result ? (
        <Alert tone={result.ok ? 'success' : 'error'} testId="settings-result">
          {result.text}
        </Alert>
      ) : null}
    </form>
  )
}
