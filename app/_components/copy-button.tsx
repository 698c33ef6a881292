'use client'
import { Check, Copy } from 'lucide-react'
import { useState } from 'react'
import clsx from 'clsx'

/** Copies `value` to the clipboard and says so for a moment. */
export function CopyButton({ value, label = 'Copy', className }: { value: string; label?: string; className?: string }) {
  const [copied, setCopied] = useState(false)
  async function copy() {
    try {
      await navigator.clipboard.writeText(value)
    } catch {
      // clipboard API unavailable (http, old browser): fall back to a hidden textarea
      const area = document.createElement('textarea')
      area.value = value
      document.body.append(area)
      area.select()
      document.execCommand('copy')
      area.remove()
    }
    setCopied(true)
    setTimeout(() => setCopied(false), 1500)
  }
  return (
    <button type="button" onClick={copy} className={clsx('btn-secondary px-2 py-1 text-xs', className)} title={label}>
      {copied ? <Check className="size-3.5 text-green-600" aria-hidden /> : <Copy className="size-3.5" aria-hidden />}
      {copied ? 'Copied' : label}
    </button>
  )
}
