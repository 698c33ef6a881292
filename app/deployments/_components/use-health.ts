'use client'
import { useEffect, useState } from 'react'
import type { Health } from './health'

export const healthPollMs = 2000

interface HealthState {
  health: Health | null
  error: string | null
}

/** One poll per deployment however many parts of the page show its health (charts, per-version table). */
interface Poller {
  state: HealthState
  listeners: Set<(state: HealthState) => void>
  timer: ReturnType<typeof setTimeout> | undefined
  stopped: boolean
}

const pollers = new Map<string, Poller>()

async function pollOnce(name: string, poller: Poller): Promise<void> {
  let next: HealthState
  try {
    const response = await fetch(`/api/v1/deployments/${encodeURIComponent(name)}/health`, { cache: 'no-store' })
    const body = (await response.json().catch(() => ({}))) as Health & { error?: string }
    next = response.ok ? { health: body, error: null } : { health: poller.state.health, error: body.error ?? `The server answered ${response.status}.` }
  } catch {
    next = { health: poller.state.health, error: 'Could not reach the server.' }
  }
  if (poller.stopped) return
  poller.state = next
  for (const listener of poller.listeners) listener(next)
  poller.timer = setTimeout(() => void pollOnce(name, poller), healthPollMs)
}

function subscribe(name: string, listener: (state: HealthState) => void): () => void {
  let poller = pollers.get(name)
  if (!poller) {
    poller = { state: { health: null, error: null }, listeners: new Set(), timer: undefined, stopped: false }
    pollers.set(name, poller)
    void pollOnce(name, poller)
  }
  poller.listeners.add(listener)
  listener(poller.state)
  const own = poller
  return () => {
    own.listeners.delete(listener)
    if (own.listeners.size > 0) return
    own.stopped = true
    clearTimeout(own.timer)
    pollers.delete(name)
  }
}

/**
 * Polls `…/health` every 2 s while the page is open. A failed poll keeps the last numbers and says
 * why, so a blip in the network does not blank the charts.
 */
export function useHealth(name: string): HealthState {
  const [state, setState] = useState<HealthState>({ health: null, error: null })
  useEffect(() => subscribe(name, setState), [name])
  return state
}
