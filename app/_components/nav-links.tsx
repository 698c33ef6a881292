'use client'
import Link from 'next/link'
import { usePathname } from 'next/navigation'
import clsx from 'clsx'

const links = [
  { href: '/pipelines', label: 'Pipelines', also: ['/runs'] },
  { href: '/models', label: 'Models', also: [] },
  { href: '/deployments', label: 'Deployments', also: [] },
  { href: '/use-cases', label: 'Use cases', also: [] },
  { href: '/upload', label: 'Upload', also: [] },
  { href: '/tokens', label: 'Tokens', also: [] },
  { href: '/users', label: 'Users', also: [] },
  { href: '/audit', label: 'Audit log', also: [] },
]

/** `hidden`: pages the role may not open (server/auth/page-access.ts), left out; each page checks again on every request. */
export function NavLinks({ hidden = [] }: { hidden?: string[] }) {
  const pathname = usePathname()
  return (
    <nav className="flex items-center gap-1" aria-label="Main">
      {links.filter((link) => !hidden.includes(link.href)).map((link) => {
        const active = [link.href, ...link.also].some((p) => pathname === p || pathname.startsWith(`${p}/`))
        return (
          <Link
            key={link.href}
            href={link.href}
            aria-current={active ? 'page' : undefined}
            className={clsx(
              'rounded-md px-2 py-1.5 text-sm font-medium whitespace-nowrap transition-colors lg:px-2.5',
              active ? 'bg-zinc-100 text-zinc-900' : 'text-zinc-600 hover:bg-zinc-50 hover:text-zinc-900',
            )}
          >
            {link.label}
          </Link>
        )
      })}
    </nav>
  )
}
