import { clsx } from 'clsx'
import Link from 'next/link'
import { Fragment, type ReactNode } from 'react'

/** One link of the breadcrumb trail above a page title. */
export interface Crumb {
  href: string
  label: ReactNode
  /** ids read better in a monospace font */
  mono?: boolean
}

/** Title, optional breadcrumb trail above it, description below, actions on the right. */
export function PageHeader({
  title,
  trail,
  description,
  actions,
  meta,
}: {
  title: ReactNode
  trail?: Crumb[]
  description?: ReactNode
  actions?: ReactNode
  meta?: ReactNode
}) {
  return (
    <div className="mb-6 flex flex-wrap items-start justify-between gap-4">
      <div className="min-w-0">
        {trail && trail.length > 0 ? <Trail crumbs={trail} /> : null}
        <h1 className="text-2xl font-semibold tracking-tight text-zinc-900">{title}</h1>
        {description ? <p className="mt-1 max-w-3xl text-sm text-zinc-600">{description}</p> : null}
        {meta ? <div className="mt-2 flex flex-wrap items-center gap-x-4 gap-y-1 text-sm text-zinc-500">{meta}</div> : null}
      </div>
      {actions ? <div className="flex shrink-0 items-center gap-2">{actions}</div> : null}
    </div>
  )
}

function Trail({ crumbs }: { crumbs: Crumb[] }) {
  return (
    <nav aria-label="Breadcrumb" className="mb-1 flex flex-wrap items-center gap-1.5 text-sm text-zinc-500">
      {crumbs.map((crumb, index) => (
        <Fragment key={crumb.href}>
          {index > 0 ? <span aria-hidden>/</span> : null}
          <Link href={crumb.href} className={clsx('hover:text-zinc-800', crumb.mono && 'font-mono')}>
            {crumb.label}
          </Link>
        </Fragment>
      ))}
    </nav>
  )
}

/** A titled section: heading row with optional actions, then a card. */
export function Section({
  title,
  actions,
  children,
  className,
}: {
  title: ReactNode
  actions?: ReactNode
  children: ReactNode
  className?: string
}) {
  return (
    <section className={className}>
      <div className="mb-2 flex items-center justify-between gap-2">
        <h2 className="text-sm font-semibold text-zinc-700">{title}</h2>
        {actions}
      </div>
      {children}
    </section>
  )
}
