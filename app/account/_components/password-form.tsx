'use client'
import { useState, type FormEvent } from 'react'
import { Alert } from '@/app/_components/alert'
import { Field } from '@/app/_components/field'
import { postJson } from '@/app/_lib/post-json'

/** Current password, the new one twice; on success says what happened to other sessions and tokens. */
export function PasswordForm() {
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<string | null>(null)
  const [fieldErrors, setFieldErrors] = useState<Record<string, string>>({})
  const [done, setDone] = useState<number | null>(null)

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault()
    const formElement = event.currentTarget
    const form = new FormData(formElement)
    const newPassword = String(form.get('newPassword') ?? '')
    setError(null)
    setDone(null)
    if (newPassword !== String(form.get('repeatPassword') ?? '')) {
      setFieldErrors({ repeatPassword: 'does not match the new password' })
      return
    }
    setFieldErrors({})
    setBusy(true)
    const result = await postJson<{ endedSessions: number }>('/api/v1/me/password', {
      currentPassword: String(form.get('currentPassword') ?? ''),
      newPassword,
    })
    setBusy(false)
    if (!result.ok) {
      setFieldErrors(result.fieldErrors)
      if (Object.keys(result.fieldErrors).length === 0) setError(result.error)
      return
    }
    formElement.reset()
    setDone(result.data.endedSessions)
  }

  return (
    <form onSubmit={submit} className="card space-y-4 p-4" noValidate data-testid="password-form">
      <div>
        <h2 className="font-medium text-zinc-900">Change your password</h2>
        <p className="mt-0.5 text-sm text-zinc-600">
          You stay signed in here; every other browser signed in as you is signed out. API tokens keep working: revoke them on the
          Tokens page if they may have leaked too.
        </p>
      </div>
      {error ? <Alert testId="form-error">{error}</Alert> : null}
      {done !== null ? (
        <Alert tone="success" testId="password-changed">
          Password changed. {done === 0 ? 'No other browser was signed in.' : `Signed out ${done} other ${done === 1 ? 'session' : 'sessions'}.`}
        </Alert>
      ) : null}
      <Field id="currentPassword" name="currentPassword" type="password" label="Current password" autoComplete="current-password" required error={prefixed(fieldErrors.currentPassword)} />
      <Field id="newPassword" name="newPassword" type="password" label="New password" autoComplete="new-password" required hint="At least 8 characters." error={prefixed(fieldErrors.newPassword)} />
      <Field id="repeatPassword" name="repeatPassword" type="password" label="New password, again" autoComplete="new-password" required error={prefixed(fieldErrors.repeatPassword)} />
      <button type="submit" className="btn-primary py-2" disabled={busy} data-testid="change-password">
        {busy ? 'Changing…' : 'Change password'}
      </button>
    </form>
  )
}

/** Server messages name no subject ("is not your current password"); under a field they read as "This …". */
function prefixed(message: string | undefined): string | undefined {
  if (!message) return undefined
  return /^(is|must|does)\b/.test(message) ? `This ${message}` : message.charAt(0).toUpperCase() + message.slice(1)
}
