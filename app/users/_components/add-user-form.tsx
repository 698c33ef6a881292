'use client'
import { UserPlus } from 'lucide-react'
import { useState, type FormEvent } from 'react'
import { Alert, errorMessage } from '@/app/_components/alert'
import { Field } from '@/app/_components/field'
import { trpc } from '@/app/_lib/trpc'
import type { Role } from '@/db/schema'
import type { UserRow } from '@/server/auth/users'
import { RoleSelect, type RoleOption } from './role-select'

const empty = { name: '', email: '', password: '', role: 'engineer' as Role }

/** Name, email, role and a first password; the server's field errors show under their fields. */
export function AddUserForm({ roles, onAdded }: { roles: RoleOption[]; onAdded: (user: UserRow) => void }) {
  const [values, setValues] = useState(empty)
  const [busy, setBusy] = useState(false)
  const [fieldErrors, setFieldErrors] = useState<Record<string, string>>({})
  const [error, setError] = useState<string | null>(null)
  const [added, setAdded] = useState<UserRow | null>(null)
  const set = (key: keyof typeof empty) => (value: string) => {
    setValues((v) => ({ ...v, [key]: value }))
    // an edited field's old error no longer applies
    setFieldErrors(({ [key]: _, ...rest }) => rest)
  }
  const selected = roles.find((r) => r.value === values.role)

  async function submit(event: FormEvent) {
    event.preventDefault()
    setBusy(true)
    setError(null)
    setFieldErrors({})
    setAdded(null)
    try {
      const user = await trpc.users.create.mutate(values)
      setAdded(user)
      setValues(empty)
      onAdded(user)
    } catch (e) {
      const fields = fieldErrorsOf(e)
      setFieldErrors(fields)
      if (Object.keys(fields).length === 0) setError(errorMessage(e))
    } finally {
      setBusy(false)
    }
  }

  return (
    <form onSubmit={submit} className="card space-y-4 p-4" noValidate data-testid="add-user">
      <h2 className="flex items-center gap-2 text-sm font-semibold text-zinc-800">
        <UserPlus className="size-4 text-zinc-500" aria-hidden />
        Add user
      </h2>
      {error ? <Alert testId="add-user-error">{error}</Alert> : null}
      {added ? (
        <Alert tone="success" testId="add-user-done">
          Added {added.name} as {roles.find((r) => r.value === added.role)?.label.toLowerCase()}. Give them the password privately; they sign in
          with {added.email}.
        </Alert>
      ) : null}
      <Field id="new-user-name" label="Name" autoComplete="off" value={values.name} onChange={(e) => set('name')(e.target.value)} error={fieldErrors.name} maxLength={100} />
      <Field
        id="new-user-email"
        label="Email"
        type="email"
        autoComplete="off"
        value={values.email}
        onChange={(e) => set('email')(e.target.value)}
        error={fieldErrors.email}
        maxLength={200}
      />
      <div>
        <label htmlFor="new-user-role" className="mb-1 block text-sm font-medium text-zinc-700">
          Role
        </label>
        <RoleSelect
          id="new-user-role"
          roles={roles}
          value={values.role}
          onRoleChange={set('role')}
          className="block w-full px-3 py-2"
          aria-describedby="new-user-role-hint"
          data-testid="add-user-role"
        />
        <p id="new-user-role-hint" className="mt-1 text-xs text-zinc-500" data-testid="add-user-role-description">
          {fieldErrors.role ? <span className="text-sm text-red-600">{fieldErrors.role}</span> : selected ? `${capitalize(selected.description)}.` : null}
        </p>
      </div>
      <div>
        <Field
          id="new-user-password"
          label="Initial password"
          type="text"
          autoComplete="off"
          spellCheck={false}
          value={values.password}
          onChange={(e) => set('password')(e.target.value)}
          error={fieldErrors.password}
          hint="At least 8 characters. Share it with them privately."
          maxLength={200}
        />
        <button type="button" className="link mt-1 text-xs" onClick={() => set('password')(suggestPassword())}>
          Suggest one
        </button>
      </div>
      <button type="submit" className="btn-primary w-full py-2" disabled={busy} data-testid="add-user-submit">
        {busy ? 'Adding…' : 'Add user'}
      </button>
    </form>
  )
}

/** The first message per field from the server's zod issues; a taken email is the email field's problem. */
function fieldErrorsOf(error: unknown): Record<string, string> {
  const data = (error as { data?: { code?: string; zodIssues?: { message: string; path?: PropertyKey[] }[] } } | null)?.data
  const fields: Record<string, string> = {}
  for (const issue of data?.zodIssues ?? []) {
    const key = String(issue.path?.[0] ?? '')
    if (key && !(key in fields)) fields[key] = issue.message
  }
  if (data?.code === 'CONFLICT') fields.email = errorMessage(error)
  return fields
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1)
}

/** Four groups of four from an alphabet without look-alikes (no 0/O, 1/l/I), without modulo bias. */
function suggestPassword(): string {
  const alphabet = 'abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789'
  const limit = 256 - (256 % alphabet.length)
  let chars = ''
  while (chars.length < 16) {
    for (const byte of crypto.getRandomValues(new Uint8Array(32))) {
      if (byte < limit && chars.length < 16) chars += alphabet[byte % alphabet.length]
    }
  }
  return chars.match(/.{4}/g)!.join('-')
}
