'use client'
import { useCallback, useEffect, useState } from 'react'

export type ThemeChoice = 'system' | 'light' | 'dark'
const storageKey = 'pipewright.canvas-theme'

/** The canvas theme: follows the system unless the user picked one (kept in this browser). */
export function useTheme(): { choice: ThemeChoice; dark: boolean; cycle(): void } {
  const [choice, setChoice] = useState<ThemeChoice>('system')
  const [systemDark, setSystemDark] = useState(false)

  useEffect(() => {
    const saved = localStorage.getItem(storageKey)
    if (saved === 'light' || saved === 'dark') setChoice(saved)
    const query = window.matchMedia('(prefers-color-scheme: dark)')
    setSystemDark(query.matches)
    const onChange = (e: MediaQueryListEvent) => setSystemDark(e.matches)
    query.addEventListener('change', onChange)
    return () => query.removeEventListener('change', onChange)
  }, [])

  const cycle = useCallback(() => {
    setChoice((current) => {
      const next: ThemeChoice = current === 'system' ? 'dark' : current === 'dark' ? 'light' : 'system'
      if (next === 'system') localStorage.removeItem(storageKey)
      else localStorage.setItem(storageKey, next)
      return next
    })
  }, [])

  return { choice, dark: choice === 'dark' || (choice === 'system' && systemDark), cycle }
}
