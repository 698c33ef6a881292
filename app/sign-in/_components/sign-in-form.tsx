'use client'
import { useRouter } from 'next/navigation'
import { useState, type FormEvent } from 'react'
import { Alert } from '@/app/_components/alert'
import { Field } from '@/app/_components/field'
import { postJson } from '@/app/_lib/post-json'

export function SignInForm({ next }: { next: string }) {
  const router = useRouter()
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<string | null>(null)
  const [fieldErrors, setFieldErrors] = useState<Record<string, string>>({})

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault()
    const form = new FormData(event.currentTarget)
    setBusy(true)
    setError(null)
    setFieldErrors({})
    const result = await postJson('/api/auth/sign-in', {
      email: String(form.get('email') ?? ''),
      password: String(form.get('password') ?? ''),
    })
    if (result.ok) {
      router.replace(next)
      router.refresh()
      return
    }
    setBusy(false)
    setFieldErrors(result.fieldErrors)
    if (Object.keys(result.fieldErrors).length === 0) setError(result.error)
  }

  return (
    <form onSubmit={submit} className="space-y-4" noValidate>
      {error ? <Alert testId="form-error">{error}</Alert> : null}
      <Field id="email" name="email" type="email" label="Email" autoComplete="email" required autoFocus error={fieldErrors.email} />
      <Field
        id="password"
        name="password"
        type="password"
        label="Password"
        autoComplete="current-password"
        required
        error={fieldErrors.password}
      />
      <button type="submit" className="btn-primary w-full py-2" disabled={busy}>
        {busy ? 'Signing in…' : 'Sign in'}
      </button>
    </form>
  )
}
