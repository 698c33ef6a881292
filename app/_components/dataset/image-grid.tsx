'use client'
import clsx from 'clsx'
import { useEffect, useMemo, useRef, useState } from 'react'
import { Alert, errorMessage } from '@/app/_components/alert'
import { formatNumber } from '@/app/_components/format'
import { trpc } from '@/app/_lib/trpc'
import { ImageDialog } from './image-dialog'
import { ImageTile, labelColors, toImageItem, type ImageItem } from './image-tile'

/** Thumbnails per request; more arrive as the end of the grid scrolls into view. */
const batch = 60

interface LabelCount {
  label: string | null
  count: number
}

/** An image dataset as thumbnails with their labels and boxes, filtered by label; a click opens the image. */
export function ImageGrid({ artifactId, total }: { artifactId: string; total: number }) {
  const [labels, setLabels] = useState<LabelCount[] | null>(null)
  const [label, setLabel] = useState<string | null>(null)
  const [items, setItems] = useState<ImageItem[]>([])
  const [matching, setMatching] = useState<number | null>(null)
  const [error, setError] = useState<string | null>(null)
  const [open, setOpen] = useState<ImageItem | null>(null)
  const loading = useRef(false)
  // answers for an earlier label are dropped
  const generation = useRef(0)
  const end = useRef<HTMLDivElement>(null)
  const colorOf = useMemo(() => labelColors((labels ?? []).map((l) => l.label)), [labels])

  useEffect(() => {
    trpc.artifacts.imageLabels
      .query({ id: artifactId })
      .then(setLabels)
      .catch((e: unknown) => setError(errorMessage(e)))
  }, [artifactId])

  const loadMore = (from: number, replace: boolean) => {
    if (loading.current) return
    loading.current = true
    const asked = generation.current
    trpc.artifacts.images
      .query({ id: artifactId, label, offset: from, limit: batch })
      .then((page) => {
        if (asked !== generation.current) return
        const next = page.rows.flatMap((row) => toImageItem(row) ?? [])
        setItems((shown) => (replace ? next : [...shown, ...next]))
        setMatching(page.total)
      })
      .catch((e: unknown) => setError(errorMessage(e)))
      .finally(() => {
        if (asked === generation.current) loading.current = false
      })
  }

  // a new label starts the grid over
  useEffect(() => {
    generation.current += 1
    loading.current = false
    setItems([])
    setMatching(null)
    loadMore(0, true)
    // eslint-disable-next-line react-hooks/exhaustive-deps -- loadMore reads the label it is rendered with
  }, [artifactId, label])

  const more = matching !== null && items.length < matching
  useEffect(() => {
    const sentinel = end.current
    if (!sentinel || !more) return
    const observer = new IntersectionObserver((entries) => entries.some((e) => e.isIntersecting) && loadMore(items.length, false), { rootMargin: '400px' })
    observer.observe(sentinel)
    return () => observer.disconnect()
  })

  return (
    <div className="space-y-3" data-testid="image-grid">
      <div className="flex flex-wrap items-center gap-1.5" role="group" aria-label="Filter by label" data-testid="label-filter">
        <FilterChip active={label === null} onClick={() => setLabel(null)} text="All" count={total} />
        {(labels ?? []).map((entry) => (
          <FilterChip key={entry.label ?? '\u0000'} active={label === entry.label} onClick={() => setLabel(entry.label)} text={entry.label ?? 'no label'} count={entry.count} color={colorOf(entry.label)} />
        ))}
      </div>
      {error ? <Alert title="Images could not be loaded">{error}</Alert> : null}
      <p className="text-xs text-zinc-500" data-testid="image-count">
        {matching === null ? 'Loading…' : `${formatNumber(items.length, 0)} of ${formatNumber(matching, 0)} images shown${label !== null ? ` labelled “${label}”` : ''}`}
      </p>
      <div className="grid grid-cols-[repeat(auto-fill,minmax(9rem,1fr))] gap-3">
        {items.map((item, i) => (
          <ImageTile key={`${i}-${item.image}`} item={item} colorOf={colorOf} onOpen={() => setOpen(item)} />
        ))}
      </div>
      {more ? <div ref={end} className="h-8 text-center text-xs text-zinc-400">loading more…</div> : null}
      {open ? <ImageDialog item={open} colorOf={colorOf} onClose={() => setOpen(null)} /> : null}
    </div>
  )
}

function FilterChip({ active, onClick, text, count, color }: { active: boolean; onClick: () => void; text: string; count: number; color?: string }) {
  return (
    <button
      type="button"
      onClick={onClick}
      aria-pressed={active}
      data-testid="label-chip"
      data-label={text}
      className={clsx(
        'inline-flex items-center gap-1.5 rounded-full border px-2.5 py-0.5 text-xs font-medium',
        active ? 'border-accent-600 bg-accent-600 text-white' : 'border-zinc-200 bg-white text-zinc-700 hover:bg-zinc-50',
      )}
    >
      {color ? <span className="size-2 rounded-full ring-1 ring-white" style={{ background: color }} aria-hidden /> : null}
      <span className="whitespace-pre">{text}</span>
      <span className={active ? 'text-white/80' : 'text-zinc-400'}>{formatNumber(count, 0)}</span>
    </button>
  )
}
