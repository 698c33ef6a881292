import type { Metadata } from 'next'
import { headers } from 'next/headers'
import { Alert } from '@/app/_components/alert'
import { AuthCard } from '@/app/_components/auth-card'
import { TooManyAttemptsError } from '@/server/auth/throttle'
import { boot } from '@/server/boot'
import { clientAddress } from '@/server/http/client-address'
import { NotFoundError } from '@/server/errors'
import { getServices } from '@/server/services'
import { GoneError, openInvite } from '@/server/use-cases/invites'
import { withRateLinkLimit } from '@/server/use-cases/rate-link-limit'
import { RatingLinkForm } from './rating-link-form'

export const dynamic = 'force-dynamic'
export const metadata: Metadata = { title: 'Rate use cases', robots: { index: false } }

/** Public: the link's token is the permission, so no sign-in. */
export default async function RatePage({ params }: { params: Promise<{ token: string }> }) {
  const { token } = await params
  await boot()
  const services = await getServices()
  const client = clientAddress(await headers())
  const invite = await withRateLinkLimit(services.db, client, () => openInvite(services.db, token)).catch((error: unknown) => {
    if (error instanceof NotFoundError || error instanceof GoneError || error instanceof TooManyAttemptsError) return { problem: error.message }
    throw error
  })
  if ('problem' in invite) {
    return (
      <AuthCard title="This link does not work" subtitle="Rating links work once and expire.">
        <Alert tone="error">{invite.problem}</Alert>
      </AuthCard>
    )
  }
  return (
    <div className="mx-auto max-w-3xl space-y-6">
      <header>
        <h1 className="text-2xl font-semibold text-zinc-900">Hello {invite.raterName}: how much do these problems hurt?</h1>
        <p className="mt-1 text-sm text-zinc-600">
          The product team is deciding which problems machine learning should tackle first. Rate the severity of each one you know, from 1 (a minor
          nuisance) to 10 (stops work or loses customers); skip the ones you don&apos;t. The link works once, until {invite.expiresAt.toLocaleDateString('en-GB', { dateStyle: 'long' })}.
        </p>
      </header>
      <RatingLinkForm token={token} useCases={invite.useCases} />
    </div>
  )
}
