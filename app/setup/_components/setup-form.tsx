'use client'
import Link from 'next/link'
import { useRouter } from 'next/navigation'
import { useState, type FormEvent } from 'react'
import { Alert } from '@/app/_components/alert'
import { Field } from '@/app/_components/field'
import { postJson } from '@/app/_lib/post-json'

export function SetupForm() {
  const router = useRouter()
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<{ message: string; status: number } | null>(null)
  const [fieldErrors, setFieldErrors] = useState<Record<string, string>>({})

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault()
    const form = new FormData(event.currentTarget)
    const body = { name: String(form.get('name') ?? ''), email: String(form.get('email') ?? ''), password: String(form.get('password') ?? '') }
    setBusy(true)
    setError(null)
    setFieldErrors({})
    const result = await postJson('/api/auth/setup', body)
    if (result.ok) {
      router.replace('/pipelines')
      router.refresh()
      return
    }
    setBusy(false)
    setFieldErrors(result.fieldErrors)
    if (Object.keys(result.fieldErrors).length === 0) setError({ message: result.error, status: result.status })
  }

  return (
    <form onSubmit={submit} className="space-y-4" noValidate>
      {error ? (
        <Alert testId="form-error">
          {error.message}
          {error.status === 409 ? (
            <>
              {' '}
              <Link href="/sign-in" className="font-medium underline">
                Go to sign in
              </Link>
            </>
          ) : null}
        </Alert>
      ) : null}
      <Field id="name" name="name" label="Your name" autoComplete="name" required error={fieldErrors.name} />
      <Field id="email" name="email" type="email" label="Email" autoComplete="email" required error={fieldErrors.email} />
      <Field
        id="password"
        name="password"
        type="password"
        label="Password"
        autoComplete="new-password"
        required
        minLength={8}
        hint="At least 8 characters."
        error={fieldErrors.password}
      />
      <button type="submit" className="btn-primary w-full py-2" disabled={busy}>
        {busy ? 'Creating account…' : 'Create owner account'}
      </button>
    </form>
  )
}
