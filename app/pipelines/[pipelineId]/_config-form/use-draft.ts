import { useState } from 'react'

/**
 * The text of an input whose value is parsed as the user types (a number, a list entry, JSON).
 * The input shows what was typed, not the parsed value re-formatted, so "1e" or "1.50" are not
 * eaten mid-typing. When the value changes from outside (undo, a moved list item), the draft no
 * longer belongs to it and the input shows the new value formatted instead.
 */
export function useDraft(value: unknown, format: (value: unknown) => string) {
  const [draft, setDraft] = useState<{ text: string; value: unknown } | null>(null)
  const text = draft && Object.is(draft.value, value) ? draft.text : format(value)
  const update = (nextText: string, nextValue: unknown) => setDraft({ text: nextText, value: nextValue })
  return [text, update] as const
}

/** How a scalar is written into a text input; objects (from a hand-edited config) as JSON. */
export function formatScalar(value: unknown): string {
  if (value === undefined || value === null) return ''
  return typeof value === 'object' ? JSON.stringify(value) : String(value)
}
