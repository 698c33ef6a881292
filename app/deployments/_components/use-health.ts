'use client'
import { useEffect, useState } from 'react'
import type { Health } from './health'

export const healthPollMs = 2000

/**
 * Polls `…/health` every 2 s while the page is open. A failed poll keeps the last numbers and says
 * why, so a blip in the network does not blank the charts.
 */
export function useHealth(name: string): { health: Health | null; error: string | null } {
  const [health, setHealth] = useState<Health | null>(null)
  const [error, setError] = useState<string | null>(null)
  useEffect(() => {
    let stopped = false
    let timer: ReturnType<typeof setTimeout> | undefined
    const poll = async () => {
      try {
        const response = await fetch(`/api/v1/deployments/${encodeURIComponent(name)}/health`, { cache: 'no-store' })
        const body = (await response.json().catch(() => ({}))) as Health & { error?: string }
        if (stopped) return
        if (response.ok) {
          setHealth(body)
          setError(null)
        } else setError(body.error ?? `The server answered ${response.status}.`)
      } catch {
        if (!stopped) setError('Could not reach the server.')
      }
      if (!stopped) timer = setTimeout(poll, healthPollMs)
    }
    void poll()
    return () => {
      stopped = true
      clearTimeout(timer)
    }
  }, [name])
  return { health, error }
}
