'use client'
import { useEffect } from 'react'

export interface Shortcut {
  keys: string
  does: string
}

/** What the help dialog lists; `useShortcuts` is the one place that implements them. */
export const shortcuts: Shortcut[] = [
  { keys: 'Ctrl/⌘ + Z', does: 'Undo' },
  { keys: 'Ctrl/⌘ + Shift + Z  ·  Ctrl + Y', does: 'Redo' },
  { keys: 'Ctrl/⌘ + S', does: 'Save a new version' },
  { keys: 'Ctrl/⌘ + Enter', does: 'Run the pipeline' },
  { keys: 'Ctrl/⌘ + C  ·  X  ·  V', does: 'Copy, cut, paste nodes (also between tabs, as pipeline-file JSON)' },
  { keys: 'Ctrl/⌘ + A', does: 'Select everything' },
  { keys: 'Delete  ·  Backspace', does: 'Delete the selection' },
  { keys: 'Shift + click  ·  Shift + drag', does: 'Add to the selection  ·  select with a box' },
  { keys: 'Ctrl/⌘ + G', does: 'Group the selected nodes' },
  { keys: 'Ctrl/⌘ + Shift + G', does: 'Ungroup' },
  { keys: 'N', does: 'Add a sticky note' },
  { keys: 'L', does: 'Tidy up: auto-layout' },
  { keys: 'F', does: 'Fit the whole pipeline in view' },
  { keys: '/', does: 'Search the node palette' },
  { keys: 'Esc', does: 'Close the panel, clear the selection' },
  { keys: '?', does: 'This help' },
]

export interface ShortcutHandlers {
  undo(): void
  redo(): void
  save(): void
  run(): void
  selectAll(): void
  group(): void
  ungroup(): void
  note(): void
  layout(): void
  fit(): void
  search(): void
  escape(): void
  help(): void
  copy(): string | null
  cut(): string | null
  paste(text: string): void
}

/** Typing in a field keeps its own undo, copy and paste. */
function isTyping(target: EventTarget | null): boolean {
  const el = target as HTMLElement | null
  return !!el && (el.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(el.tagName))
}

export function useShortcuts(handlers: ShortcutHandlers, enabled: boolean): void {
  useEffect(() => {
    if (!enabled) return
    const onKey = (event: KeyboardEvent) => {
      const mod = event.ctrlKey || event.metaKey
      const key = event.key.toLowerCase()
      if (mod && key === 's') {
        event.preventDefault()
        return handlers.save()
      }
      if (isTyping(event.target)) return
      const act = (fn: () => void) => {
        event.preventDefault()
        fn()
      }
      if (mod && key === 'z') return act(event.shiftKey ? handlers.redo : handlers.undo)
      if (mod && key === 'y') return act(handlers.redo)
      if (mod && key === 'enter') return act(handlers.run)
      if (mod && key === 'a') return act(handlers.selectAll)
      if (mod && key === 'g') return act(event.shiftKey ? handlers.ungroup : handlers.group)
      if (mod || event.altKey) return
      if (key === 'n') return act(handlers.note)
      if (key === 'l') return act(handlers.layout)
      if (key === 'f') return act(handlers.fit)
      if (key === '/') return act(handlers.search)
      if (key === '?') return act(handlers.help)
      if (key === 'escape') return handlers.escape()
    }
    const onCopy = (event: ClipboardEvent, cut: boolean) => {
      if (isTyping(event.target)) return
      const text = cut ? handlers.cut() : handlers.copy()
      if (text === null) return
      event.preventDefault()
      event.clipboardData?.setData('text/plain', text)
    }
    const onPaste = (event: ClipboardEvent) => {
      if (isTyping(event.target)) return
      const text = event.clipboardData?.getData('text/plain')
      if (!text) return
      event.preventDefault()
      handlers.paste(text)
    }
    const copy = (e: ClipboardEvent) => onCopy(e, false)
    const cut = (e: ClipboardEvent) => onCopy(e, true)
    window.addEventListener('keydown', onKey)
    document.addEventListener('copy', copy)
    document.addEventListener('cut', cut)
    document.addEventListener('paste', onPaste)
    return () => {
      window.removeEventListener('keydown', onKey)
      document.removeEventListener('copy', copy)
      document.removeEventListener('cut', cut)
      document.removeEventListener('paste', onPaste)
    }
  }, [handlers, enabled])
}
