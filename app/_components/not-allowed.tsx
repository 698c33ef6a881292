'use client'
import Link from 'next/link'
import { usePathname } from 'next/navigation'
import { ShieldX } from 'lucide-react'
import { matchPage } from '@/app/_lib/match-page'

export interface NotAllowedProps {
  /** who is signed in, in words; null when nobody is (a page refused before sign-in) */
  who: { name: string; role: string; roleDescription: string } | null
  /** for each page this role may not open: what it needs and who has that (from server/auth/page-access.ts) */
  refusals: Array<{ page: string; needs: string; rolesThatMay: string; back: { href: string; label: string } }>
}

/**
 * The not-allowed page (403). The server knows the role but not the address (forbidden.tsx gets no props),
 * so this part reads the address and picks what the page needs from the list the server rendered.
 */
export function NotAllowed({ who, refusals }: NotAllowedProps) {
  const pathname = usePathname()
  const page = matchPage(pathname, refusals.map((r) => r.page))
  const refusal = refusals.find((r) => r.page === page)
  const back = refusal?.back ?? { href: '/pipelines', label: 'pipelines' }
  return (
    <div className="mx-auto mt-8 max-w-xl" data-testid="not-allowed">
      <div className="card flex gap-4 p-6 sm:p-8">
        <ShieldX className="size-8 shrink-0 text-amber-600" aria-hidden />
        <div className="space-y-3 text-sm text-zinc-700">
          <h1 className="text-xl font-semibold tracking-tight text-zinc-900">Not allowed</h1>
          {who ? (
            <p data-testid="not-allowed-role">
              You are signed in as <b>{who.name}</b>, with the role <b>{who.role}</b> ({who.roleDescription}).
            </p>
          ) : (
            <p>You are not signed in.</p>
          )}
          <p data-testid="not-allowed-needs">
            {refusal
              ? `This page needs a role that may ${refusal.needs}: ${refusal.rolesThatMay}.`
              : 'Your role does not include what this page needs.'}{' '}
            {who ? 'If you need it, ask an admin to change your role.' : null}
          </p>
          <p className="flex flex-wrap gap-3 pt-1">
            {who ? (
              <Link href={back.href} className="btn-secondary">
                Back to {back.label}
              </Link>
            ) : (
              <Link href="/sign-in" className="btn-primary">
                Sign in
              </Link>
            )}
          </p>
        </div>
      </div>
    </div>
  )
}
