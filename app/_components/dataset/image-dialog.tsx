'use client'
import { X } from 'lucide-react'
import { useEffect, useRef } from 'react'
import { imageColumns } from '@/nodes/_lib/image-columns'
import { CellValue } from './cell-value'
import { BoxedImage, blobUrl, type ColorOf, type ImageItem } from './image-tile'

const shownElsewhere = new Set<string>([imageColumns.image, imageColumns.boxes])

/** The full image with its boxes and labels, and the row's other columns, in a modal dialog. */
export function ImageDialog({ item, colorOf, onClose }: { item: ImageItem; colorOf: ColorOf; onClose: () => void }) {
  const ref = useRef<HTMLDialogElement>(null)
  useEffect(() => {
    const dialog = ref.current
    if (dialog && !dialog.open) dialog.showModal()
    return () => dialog?.close()
  }, [item])
  return (
    <dialog
      ref={ref}
      onClose={onClose}
      onClick={(event) => event.target === ref.current && onClose()}
      className="m-auto max-h-[92vh] max-w-[92vw] rounded-lg bg-white p-0 shadow-xl backdrop:bg-zinc-950/60"
      data-testid="image-dialog"
    >
      <div className="flex items-center gap-3 border-b border-zinc-200 px-4 py-2">
        <span className="size-3 rounded-full" style={{ background: colorOf(item.label) }} aria-hidden />
        <span className="font-medium text-zinc-900" data-testid="image-dialog-label">
          {item.label ?? 'no label'}
        </span>
        <span className="text-sm text-zinc-500">
          {item.width} × {item.height} px · {item.boxes.length} {item.boxes.length === 1 ? 'box' : 'boxes'}
        </span>
        <a href={blobUrl(item.image, false)} target="_blank" rel="noreferrer" className="link ml-auto text-sm">
          Open image
        </a>
        <button type="button" onClick={onClose} className="rounded p-1 text-zinc-500 hover:bg-zinc-100" aria-label="Close">
          <X className="size-4" aria-hidden />
        </button>
      </div>
      <div className="flex max-h-[calc(92vh-3rem)] flex-wrap gap-4 overflow-auto p-4">
        {/* small images are shown larger, large ones fit the screen; the aspect ratio stays */}
        <div className="mt-5" style={{ width: `min(max(${item.width}px, 480px), 70vw, calc(75vh * ${item.width / item.height}))` }}>
          <BoxedImage item={item} thumb={false} showBoxLabels colorOf={colorOf} className="w-full bg-zinc-100" />
        </div>
        <dl className="min-w-48 text-sm">
          {Object.entries(item.row)
            .filter(([name]) => !shownElsewhere.has(name))
            .map(([name, value]) => (
              <div key={name} className="border-b border-zinc-100 py-1">
                <dt className="text-xs whitespace-pre text-zinc-500">{name}</dt>
                <dd className="text-zinc-800">
                  <CellValue value={value} />
                </dd>
              </div>
            ))}
        </dl>
      </div>
    </dialog>
  )
}
