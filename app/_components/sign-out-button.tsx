'use client'
import { LogOut } from 'lucide-react'
import { useRouter } from 'next/navigation'
import { useState } from 'react'

export function SignOutButton() {
  const router = useRouter()
  const [busy, setBusy] = useState(false)
  async function signOut() {
    setBusy(true)
    try {
      await fetch('/api/auth/sign-out', { method: 'POST' })
    } finally {
      router.replace('/sign-in')
      router.refresh()
    }
  }
  return (
    <button type="button" onClick={signOut} disabled={busy} className="btn-secondary" data-testid="sign-out">
      <LogOut className="size-4" aria-hidden />
      Sign out
    </button>
  )
}
