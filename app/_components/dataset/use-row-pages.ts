'use client'
import { useCallback, useEffect, useRef, useState } from 'react'
import { errorMessage } from '@/app/_components/alert'
import { trpc } from '@/app/_lib/trpc'

export type Row = Record<string, unknown>

/** Rows per request: five screens of the table, a few milliseconds of DuckDB. */
export const pageSize = 100
/** Pages kept in memory; the oldest ones out of sight are dropped first. */
const keptPages = 30
/** While the scroll bar is dragged, only the range it settles on is fetched. */
const settleMs = 60

/**
 * A dataset's rows, fetched a page at a time from `artifacts.rows` as the table scrolls to them, with a
 * small cache. `firstRows` (rendered by the server with the page) seed page 0; `visible` is the range
 * of rows on screen (0-based, inclusive), whose pages are fetched once scrolling settles there.
 */
export function useRowPages(artifactId: string, total: number, firstRows: readonly Row[], visible: { first: number; last: number }) {
  const pages = useRef(new Map<number, readonly Row[]>())
  const loading = useRef(new Set<number>())
  const [, setVersion] = useState(0)
  const [error, setError] = useState<string | null>(null)

  useEffect(() => {
    pages.current = new Map()
    loading.current = new Set()
    if (firstRows.length >= Math.min(pageSize, total)) pages.current.set(0, firstRows.slice(0, pageSize))
    setVersion((v) => v + 1)
  }, [artifactId, total, firstRows])

  const fetchPage = useCallback(
    (page: number, visible: ReadonlySet<number>) => {
      loading.current.add(page)
      trpc.artifacts.rows
        .query({ id: artifactId, offset: page * pageSize, limit: pageSize })
        .then((answer) => {
          pages.current.set(page, answer.rows)
          dropOldPages(pages.current, visible)
          setError(null)
        })
        .catch((e: unknown) => setError(errorMessage(e)))
        .finally(() => {
          loading.current.delete(page)
          setVersion((v) => v + 1)
        })
    },
    [artifactId],
  )

  const { first, last } = visible
  useEffect(() => {
    if (last < first) return
    const timer = setTimeout(() => {
      const wanted = new Set<number>()
      for (let page = Math.floor(first / pageSize); page <= Math.floor(last / pageSize); page++) wanted.add(page)
      for (const page of wanted) {
        const kept = pages.current.get(page)
        if (kept) {
          // touched: moves to the back of the eviction order
          pages.current.delete(page)
          pages.current.set(page, kept)
        } else if (!loading.current.has(page)) fetchPage(page, wanted)
      }
    }, settleMs)
    return () => clearTimeout(timer)
  }, [first, last, fetchPage])

  const rowAt = (index: number): Row | undefined => pages.current.get(Math.floor(index / pageSize))?.[index % pageSize]

  return { rowAt, error }
}

function dropOldPages(pages: Map<number, readonly Row[]>, visible: ReadonlySet<number>): void {
  for (const page of pages.keys()) {
    if (pages.size <= keptPages) return
    if (!visible.has(page)) pages.delete(page)
  }
}
