'use client'
import { useRouter } from 'next/navigation'
import { ConfirmButton } from '@/app/_components/confirm-button'
import { sendJson } from '@/app/_lib/post-json'

export function RevokeInvite({ id, raterName }: { id: string; raterName: string }) {
  const router = useRouter()
  return (
    <ConfirmButton
      verb="Revoke"
      busyText="Revoking…"
      question={`Revoke ${raterName}'s link?`}
      consequence="The link stops working; ratings given through it stay."
      testIds={{ start: 'invite-revoke', confirm: 'invite-revoke-confirm' }}
      onConfirm={async () => {
        await sendJson('DELETE', `/api/v1/use-cases/invites/${id}`)
        router.refresh()
      }}
    />
  )
}
