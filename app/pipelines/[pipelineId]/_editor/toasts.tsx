'use client'
import { clsx } from 'clsx'
import { X } from 'lucide-react'
import { useEffect } from 'react'
import { useEditor } from './store'

const visibleMs = { error: 8000, info: 4000 }

/** One message at a time at the bottom of the canvas: why a connection was refused, what was saved. */
export function Toasts() {
  const toast = useEditor((s) => s.toast)
  useEffect(() => {
    if (!toast) return
    const timer = setTimeout(() => useEditor.getState().dismissToast(), visibleMs[toast.tone])
    return () => clearTimeout(timer)
  }, [toast])
  if (!toast) return null
  return (
    <div
      role={toast.tone === 'error' ? 'alert' : 'status'}
      data-testid="canvas-toast"
      data-tone={toast.tone}
      className={clsx(
        'absolute bottom-4 left-1/2 z-20 flex max-w-xl -translate-x-1/2 items-start gap-2 rounded-md border px-3 py-2 text-sm shadow-lg',
        toast.tone === 'error' ? 'border-red-200 bg-red-50 text-red-800 dark:border-red-900 dark:bg-red-950 dark:text-red-100' : 'border-zinc-200 bg-white text-zinc-800 dark:border-zinc-700 dark:bg-zinc-900 dark:text-zinc-100',
      )}
    >
      <span>{toast.message}</span>
      <button type="button" aria-label="Dismiss" onClick={() => useEditor.getState().dismissToast()} className="shrink-0 opacity-60 hover:opacity-100">
        <X className="size-4" />
      </button>
    </div>
  )
}
