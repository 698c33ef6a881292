import clsx from 'clsx'
import type { SelectHTMLAttributes } from 'react'
import type { Role } from '@/db/schema'

/** A role with its label and a one-line summary of what it may do (from server/auth/permissions.ts). */
export interface RoleOption {
  value: Role
  label: string
  description: string
}

/** A native select of roles; each option's tooltip says what the role may do. */
export function RoleSelect({
  roles,
  value,
  onRoleChange,
  className,
  ...select
}: Omit<SelectHTMLAttributes<HTMLSelectElement>, 'value' | 'onChange'> & {
  roles: RoleOption[]
  value: Role
  onRoleChange: (role: Role) => void
}) {
  return (
    <select
      {...select}
      value={value}
      onChange={(event) => onRoleChange(event.target.value as Role)}
      className={clsx(
        'rounded-md border border-zinc-300 bg-white text-sm shadow-xs focus:border-accent-500 focus:ring-2 focus:ring-accent-100 focus:outline-none disabled:opacity-60',
        className,
      )}
    >
      {roles.map((role) => (
        <option key={role.value} value={role.value} title={role.description}>
          {role.label}
        </option>
      ))}
    </select>
  )
}
