import Link from 'next/link'
import clsx from 'clsx'
import { FileText, Table2 } from 'lucide-react'

/** One tab per output port; the selected port lives in the URL (`?port=`). */
export function PortTabs({
  baseHref,
  ports,
  selected,
}: {
  baseHref: string
  ports: { name: string; type: string | undefined }[]
  selected: string
}) {
  return (
    <div className="mb-6 border-b border-zinc-200" role="tablist" aria-label="Outputs">
      <div className="-mb-px flex gap-1 overflow-x-auto">
        {ports.map((port) => {
          const active = port.name === selected
          const Icon = port.type === 'report' ? FileText : Table2
          return (
            <Link
              key={port.name}
              href={`${baseHref}?port=${encodeURIComponent(port.name)}`}
              role="tab"
              aria-selected={active}
              data-testid={`port-tab-${port.name}`}
              className={clsx(
                'flex items-center gap-1.5 border-b-2 px-3 py-2 text-sm font-medium whitespace-nowrap',
                active ? 'border-accent-600 text-accent-700' : 'border-transparent text-zinc-500 hover:border-zinc-300 hover:text-zinc-800',
              )}
            >
              <Icon className="size-4" aria-hidden />
              {port.name}
              {port.type ? <span className="text-xs font-normal text-zinc-400">{port.type}</span> : null}
            </Link>
          )
        })}
      </div>
    </div>
  )
}
