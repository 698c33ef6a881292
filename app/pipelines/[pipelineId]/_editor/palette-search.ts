import type { NodeUi } from '@/nodes/contract'

/** what a palette item carries in a drag, read by the canvas on drop */
export const paletteMime = 'application/x-pipewright-node'

export interface PaletteEntry {
  kind: string
  ui: NodeUi
}

/**
 * Palette entries matching a query, best first: every word of the query must appear in the
 * kind, title, aliases or description; a match on the title or an alias ranks above one in the
 * description, so "check" finds Validate first.
 */
export function searchPalette(entries: PaletteEntry[], query: string): PaletteEntry[] {
  const words = query.toLowerCase().split(/\s+/).filter(Boolean)
  if (words.length === 0) return entries
  const scored = entries.flatMap((entry) => {
    const names = [entry.kind, entry.ui.title, ...entry.ui.aliases].map((s) => s.toLowerCase())
    const description = entry.ui.description.toLowerCase()
    let score = 0
    for (const word of words) {
      if (names.some((name) => name === word)) score += 3
      else if (names.some((name) => name.startsWith(word))) score += 2
      else if (names.some((name) => name.includes(word))) score += 1.5
      else if (description.includes(word)) score += 1
      else return []
    }
    return [{ entry, score }]
  })
  return scored.sort((a, b) => b.score - a.score).map((s) => s.entry)
}
