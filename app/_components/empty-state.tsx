import type { ReactNode } from 'react'

export function EmptyState({ icon, title, children }: { icon?: ReactNode; title: string; children?: ReactNode }) {
  return (
    <div className="card flex flex-col items-center justify-center gap-2 px-6 py-12 text-center">
      {icon ? <div className="text-zinc-400">{icon}</div> : null}
      <p className="text-sm font-medium text-zinc-800">{title}</p>
      {children ? <div className="max-w-md text-sm text-zinc-500">{children}</div> : null}
    </div>
  )
}
