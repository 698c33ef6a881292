'use client'
import { useRouter } from 'next/navigation'
import { useState } from 'react'
import { postJson } from '@/app/_lib/post-json'

const words: Record<number, string> = { 1: 'a minor nuisance', 4: 'a real cost, worked around', 7: 'hurts the business every week', 10: 'critical: stops work or loses customers' }

/** The signed-in user's rating of severity; rating again replaces it. */
export function RateForm({ useCaseId }: { useCaseId: string }) {
  const router = useRouter()
  const [severity, setSeverity] = useState(5)
  const [comment, setComment] = useState('')
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null)
  const submit = async () => {
    const result = await postJson(`/api/v1/use-cases/${useCaseId}/ratings`, { severity, comment })
    setMessage(result.ok ? { ok: true, text: 'Thanks: your rating is in.' } : { ok: false, text: result.error })
    if (result.ok) router.refresh()
  }
  return (
    <form
      className="space-y-3"
      onSubmit={(e) => {
        e.preventDefault()
        void submit()
      }}
    >
      <label className="block text-sm font-medium text-zinc-800" htmlFor="rate-severity">
        How much does this problem hurt? <span className="font-normal text-zinc-500">{severity} — {words[severity] ?? words[[1, 4, 7, 10].reduce((a, b) => (Math.abs(b - severity) < Math.abs(a - severity) ? b : a))]}</span>
      </label>
      <input id="rate-severity" data-testid="rate-severity" type="range" min={1} max={10} step={1} value={severity} onChange={(e) => setSeverity(Number(e.target.value))} className="w-full accent-indigo-600" />
      <input className="input" placeholder="Why? (optional)" aria-label="Comment" value={comment} onChange={(e) => setComment(e.target.value)} maxLength={1000} />
      <div className="flex items-center gap-3">
        <button type="submit" className="btn-primary" data-testid="rate-submit">Rate</button>
        {message ? <span role={message.ok ? 'status' : 'alert'} className={message.ok ? 'text-sm text-green-700' : 'text-sm text-red-700'}>{message.text}</span> : null}
      </div>
    </form>
  )
}
