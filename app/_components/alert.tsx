import { AlertTriangle, CheckCircle2, Info, XCircle } from 'lucide-react'
import clsx from 'clsx'
import type { ReactNode } from 'react'

const tones = {
  error: { box: 'border-red-200 bg-red-50 text-red-800', Icon: XCircle },
  warning: { box: 'border-amber-200 bg-amber-50 text-amber-900', Icon: AlertTriangle },
  success: { box: 'border-green-200 bg-green-50 text-green-800', Icon: CheckCircle2 },
  info: { box: 'border-zinc-200 bg-white text-zinc-700', Icon: Info },
} as const

export function Alert({
  tone = 'error',
  title,
  children,
  className,
  testId,
}: {
  tone?: keyof typeof tones
  title?: ReactNode
  children?: ReactNode
  className?: string
  testId?: string
}) {
  const { box, Icon } = tones[tone]
  return (
    <div
      role={tone === 'error' ? 'alert' : 'status'}
      data-testid={testId}
      className={clsx('flex gap-2.5 rounded-md border px-3 py-2.5 text-sm', box, className)}
    >
      <Icon className="mt-0.5 size-4 shrink-0" aria-hidden />
      <div className="min-w-0 break-words">
        {title ? <p className="font-medium">{title}</p> : null}
        {children ? <div className={clsx(title ? 'mt-0.5' : undefined)}>{children}</div> : null}
      </div>
    </div>
  )
}

/** The message of anything thrown: tRPC errors carry the server's message. */
export function errorMessage(error: unknown): string {
  const issues = (error as { data?: { zodIssues?: { message: string; path?: PropertyKey[] }[] } } | null)?.data?.zodIssues
  const first = issues?.[0]
  if (first) return first.path?.length ? `${first.path.map(String).join('.')}: ${first.message}` : first.message
  if (error instanceof Error && error.message) return error.message
  if (typeof error === 'string') return error
  return 'Something went wrong.'
}
