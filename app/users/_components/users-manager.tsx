'use client'
import { Check } from 'lucide-react'
import { useRouter } from 'next/navigation'
import { useState } from 'react'
import { Alert, errorMessage } from '@/app/_components/alert'
import { ConfirmButton } from '@/app/_components/confirm-button'
import { TimeAgo } from '@/app/_components/time-ago'
import { trpc } from '@/app/_lib/trpc'
import type { Role } from '@/db/schema'
import type { UserRow } from '@/server/auth/users'
import { AddUserForm } from './add-user-form'
import { RoleSelect, type RoleOption } from './role-select'
import { TableHead } from '@/app/_components/table-head'

/** The users table (role changes save at once) beside the form that adds one. */
export function UsersManager({ initial, roles, currentUserId }: { initial: UserRow[]; roles: RoleOption[]; currentUserId: string }) {
  const router = useRouter()
  const [users, setUsers] = useState(initial)
  const [error, setError] = useState<{ title: string; message: string } | null>(null)
  const adminCount = users.filter((u) => u.role === 'admin').length

  async function setRole(user: UserRow, role: Role) {
    setError(null)
    try {
      const updated = await trpc.users.setRole.mutate({ id: user.id, role })
      setUsers((list) => list.map((u) => (u.id === updated.id ? updated : u)))
      // an admin who gave up their own role may no longer see this page
      if (user.id === currentUserId && role !== 'admin') router.refresh()
      return true
    } catch (e) {
      setError({ title: `The role of ${user.name} did not change`, message: errorMessage(e) })
      return false
    }
  }

  async function remove(user: UserRow) {
    setError(null)
    try {
      await trpc.users.remove.mutate({ id: user.id })
      setUsers((list) => list.filter((u) => u.id !== user.id))
    } catch (e) {
      setError({ title: `${user.name} was not removed`, message: errorMessage(e) })
    }
  }

  return (
    <div className="grid items-start gap-6 xl:grid-cols-[minmax(0,1fr)_22rem]">
      <div className="min-w-0 space-y-4">
        {error ? (
          <Alert testId="users-error" title={error.title}>
            {error.message}
          </Alert>
        ) : null}
        <div className="card overflow-x-auto">
          <table className="w-full text-sm" data-testid="users-table">
            <TableHead cells={[{ label: 'User' }, { label: 'Role' }, { label: 'Added' }, {}]} />
            <tbody className="divide-y divide-zinc-100">
              {users.map((user) => (
                <UserRowView
                  key={user.id}
                  user={user}
                  roles={roles}
                  isSelf={user.id === currentUserId}
                  isLastAdmin={user.role === 'admin' && adminCount === 1}
                  onRoleChange={(role) => setRole(user, role)}
                  onRemove={() => remove(user)}
                />
              ))}
            </tbody>
          </table>
        </div>
      </div>
      <AddUserForm roles={roles} onAdded={(user) => setUsers((list) => [...list, user])} />
    </div>
  )
}

function UserRowView({
  user,
  roles,
  isSelf,
  isLastAdmin,
  onRoleChange,
  onRemove,
}: {
  user: UserRow
  roles: RoleOption[]
  isSelf: boolean
  /** the server refuses to demote the last admin; asking "are you sure?" first would be pointless */
  isLastAdmin: boolean
  onRoleChange: (role: Role) => Promise<boolean>
  onRemove: () => Promise<void>
}) {
  const [saving, setSaving] = useState(false)
  const [saved, setSaved] = useState(false)
  // giving up your own admin role asks first: this page closes to you right after
  const [selfDemotion, setSelfDemotion] = useState<Role | null>(null)
  const description = roles.find((r) => r.value === user.role)?.description

  async function change(role: Role) {
    setSelfDemotion(null)
    setSaving(true)
    setSaved(false)
    const ok = await onRoleChange(role)
    setSaving(false)
    if (ok) {
      setSaved(true)
      setTimeout(() => setSaved(false), 1500)
    }
  }

  return (
    <tr data-testid={`user-${user.email}`}>
      <td className="px-4 py-2 whitespace-nowrap">
        <div className="font-medium text-zinc-900">
          {user.name}
          {isSelf ? <span className="ml-2 rounded-full bg-zinc-100 px-1.5 py-0.5 text-xs font-normal text-zinc-500">you</span> : null}
        </div>
        <div className="text-xs text-zinc-500">{user.email}</div>
      </td>
      <td className="px-4 py-2 whitespace-nowrap">
        {selfDemotion ? (
          <div className="max-w-72 text-xs whitespace-normal text-zinc-600">
            <p>
              Make yourself {roles.find((r) => r.value === selfDemotion)?.label.toLowerCase()}? You can no longer manage users; another admin can
              make you admin again.
            </p>
            <div className="mt-1.5 flex gap-2">
              <button type="button" className="btn-danger px-2 py-1 text-xs" onClick={() => change(selfDemotion)} data-testid="confirm-self-demotion">
                Yes, change it
              </button>
              <button type="button" className="btn-secondary px-2 py-1 text-xs" onClick={() => setSelfDemotion(null)}>
                Keep admin
              </button>
            </div>
          </div>
        ) : (
          <span className="inline-flex items-center gap-2">
            <RoleSelect
              roles={roles}
              value={user.role}
              disabled={saving}
              onRoleChange={(role) => (isSelf && !isLastAdmin && user.role === 'admin' && role !== 'admin' ? setSelfDemotion(role) : change(role))}
              className="py-1 pl-2"
              title={description}
              aria-label={`Role of ${user.email}`}
              data-testid={`user-role-${user.email}`}
            />
            {/* a fixed slot, so the columns do not move when it fills */}
            <span className="inline-flex w-14 items-center gap-1 text-xs" aria-live="polite">
              {saving ? <span className="text-zinc-500">Saving…</span> : null}
              {saved ? (
                <span className="inline-flex items-center gap-1 text-green-700" data-testid="role-saved">
                  <Check className="size-3.5" aria-hidden />
                  Saved
                </span>
              ) : null}
            </span>
          </span>
        )}
      </td>
      <td className="px-4 py-2.5 whitespace-nowrap text-zinc-600">
        <TimeAgo date={user.createdAt} />
      </td>
      <td className="w-0 px-4 py-2.5 text-right whitespace-nowrap">
        {isSelf ? (
          <span className="text-xs text-zinc-400" title="Another admin can remove your account.">
            —
          </span>
        ) : (
          <ConfirmButton
            verb="Remove"
            busyText="Removing…"
            question={`Remove ${user.name}?`}
            consequence="Their sessions and API tokens stop working at once; what they created stays."
            onConfirm={onRemove}
            testIds={{ start: 'remove-user', confirm: 'confirm-remove' }}
            stacked
          />
        )}
      </td>
    </tr>
  )
}
