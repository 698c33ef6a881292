import Link from 'next/link'
import { Workflow } from 'lucide-react'
import { mayOpenPage, pageAccess } from '@/server/auth/page-access'
import { roleSummaries, type Actor } from '@/server/auth/permissions'
import { NavLinks } from './nav-links'
import { SignOutButton } from './sign-out-button'

/** Product name, navigation, and who is signed in. */
export function TopBar({ actor }: { actor: Actor | null }) {
  return (
    <header className="sticky top-0 z-30 border-b border-zinc-200 bg-white/90 backdrop-blur">
      <div className="mx-auto flex h-14 max-w-7xl items-center gap-6 px-4 sm:px-6">
        <Link href={actor ? '/pipelines' : '/'} className="flex items-center gap-2 font-semibold tracking-tight text-zinc-900">
          <span className="flex size-7 items-center justify-center rounded-md bg-accent-600 text-white">
            <Workflow className="size-4" aria-hidden />
          </span>
          Pipewright
        </Link>
        {actor ? <NavLinks hidden={Object.keys(pageAccess).filter((page) => !mayOpenPage(actor.role, page))} /> : null}
        <div className="ml-auto flex items-center gap-3">
          {actor ? (
            <>
              <Link
                href="/account"
                className="flex items-center gap-3 rounded-md px-1.5 py-1 hover:bg-zinc-50"
                title={`Your account: ${actor.name} (${actor.email})`}
                data-testid="account-link"
              >
                <div className="hidden text-right leading-tight lg:block" data-testid="current-user">
                  <div className="text-sm font-medium text-zinc-800">{actor.name}</div>
                  <div className="text-xs text-zinc-500">{roleSummaries[actor.role].label}</div>
                </div>
                <span
                  className="flex size-8 items-center justify-center rounded-full bg-zinc-100 text-xs font-semibold text-zinc-700 ring-1 ring-zinc-200"
                  aria-hidden
                >
                  {initials(actor.name)}
                </span>
                <span className="sr-only">Your account</span>
              </Link>
              <SignOutButton />
            </>
          ) : null}
        </div>
      </div>
    </header>
  )
}

function initials(name: string): string {
  const parts = name.trim().split(/\s+/).filter(Boolean)
  return ((parts[0]?.[0] ?? '') + (parts.length > 1 ? (parts.at(-1)?.[0] ?? '') : '')).toUpperCase() || '?'
}
