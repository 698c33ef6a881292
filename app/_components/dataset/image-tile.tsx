'use client'
import clsx from 'clsx'
import { box as boxSchema, imageColumns, type Box } from '@/nodes/_lib/image-columns'

/** One row of an image dataset as the grid shows it; other columns stay in `row`. */
export interface ImageItem {
  image: string
  width: number
  height: number
  label: string | null
  boxes: Box[]
  row: Record<string, unknown>
}

/** A row read defensively: a dataset written by hand may lack sizes or carry odd boxes. */
export function toImageItem(row: Record<string, unknown>): ImageItem | null {
  const image = row[imageColumns.image]
  if (typeof image !== 'string' || !/^[0-9a-f]{64}$/.test(image)) return null
  const width = Number(row[imageColumns.width])
  const height = Number(row[imageColumns.height])
  const label = row[imageColumns.label]
  const boxes = Array.isArray(row[imageColumns.boxes]) ? (row[imageColumns.boxes] as unknown[]).flatMap((b) => boxSchema.safeParse(b).data ?? []) : []
  return {
    image,
    width: width > 0 ? width : 1,
    height: height > 0 ? height : 1,
    label: label === null || label === undefined ? null : String(label),
    boxes: width > 0 && height > 0 ? boxes : [],
    row,
  }
}

const palette = ['#10b981', '#3b82f6', '#f59e0b', '#ef4444', '#a855f7', '#ec4899', '#14b8a6', '#f97316', '#84cc16', '#6366f1']

export type ColorOf = (label: string | null) => string

/**
 * One colour per label, in the order given (the grid passes its labels most frequent first), so the
 * first ten labels never share a colour; the same label has the same colour in the filter, the
 * grid and the dialog.
 */
export function labelColors(labels: readonly (string | null)[]): ColorOf {
  const colors = new Map<string | null, string>()
  for (const label of labels) if (!colors.has(label)) colors.set(label, palette[colors.size % palette.length]!)
  return (label) => colors.get(label) ?? palette[colors.size % palette.length]!
}

export const blobUrl = (id: string, thumb: boolean) => `/api/v1/blobs/${id}${thumb ? '?thumb=1' : ''}`

/**
 * An image with its boxes drawn over it. Boxes are in the image's pixels; placed in percent of the
 * declared width and height, they land in the same place on the thumbnail and on the full image.
 */
export function BoxedImage({ item, thumb, showBoxLabels, colorOf, className }: { item: ImageItem; thumb: boolean; showBoxLabels: boolean; colorOf: ColorOf; className?: string }) {
  return (
    <div className={clsx('relative', className)} style={{ aspectRatio: `${item.width} / ${item.height}` }}>
      {/* eslint-disable-next-line @next/next/no-img-element -- blobs are served as they are, already sized */}
      <img src={blobUrl(item.image, thumb)} alt={item.label ?? 'unlabelled image'} loading="lazy" decoding="async" className="absolute inset-0 size-full object-contain" />
      {item.boxes.map((b, i) => (
        <div
          key={i}
          data-testid="image-box"
          className="pointer-events-none absolute border-2"
          style={{
            left: `${(b.x / item.width) * 100}%`,
            top: `${(b.y / item.height) * 100}%`,
            width: `${(b.w / item.width) * 100}%`,
            height: `${(b.h / item.height) * 100}%`,
            borderColor: colorOf(b.label),
          }}
        >
          {showBoxLabels ? (
            <span className="absolute -top-5 left-[-2px] rounded-t px-1 text-[11px] leading-5 whitespace-nowrap text-white" style={{ background: colorOf(b.label) }}>
              {b.label}
            </span>
          ) : null}
        </div>
      ))}
    </div>
  )
}

/** A grid cell: the thumbnail with its boxes, and the label under it. */
export function ImageTile({ item, colorOf, onOpen, compact = false }: { item: ImageItem; colorOf: ColorOf; onOpen?: () => void; compact?: boolean }) {
  const body = (
    <>
      <BoxedImage item={item} thumb showBoxLabels={false} colorOf={colorOf} className="w-full bg-zinc-100" />
      <span className={clsx('flex items-center gap-1 truncate px-1.5 text-left', compact ? 'py-0.5 text-[10px]' : 'py-1 text-xs')} data-testid="image-label">
        <span className="size-2 shrink-0 rounded-full" style={{ background: colorOf(item.label) }} aria-hidden />
        <span className="truncate">{item.label ?? <span className="text-zinc-400 italic">no label</span>}</span>
        {item.boxes.length > 0 && !compact ? <span className="ml-auto text-zinc-400">{item.boxes.length} ▢</span> : null}
      </span>
    </>
  )
  const className = 'block overflow-hidden rounded-md border border-zinc-200 bg-white'
  return onOpen ? (
    <button type="button" onClick={onOpen} className={clsx(className, 'hover:ring-accent-500 focus-visible:ring-accent-500 hover:ring-2 focus-visible:ring-2')} data-testid="image-tile">
      {body}
    </button>
  ) : (
    <div className={className} data-testid="image-tile">
      {body}
    </div>
  )
}
