import type { Metadata } from 'next'
import { PageHeader } from '@/app/_components/page-header'
import { listApiTokens } from '@/server/auth/accounts'
import { requirePageActor } from '@/server/http/page-auth'
import { TokensManager } from './_components/tokens-manager'

export const dynamic = 'force-dynamic'
export const metadata: Metadata = { title: 'API tokens' }

export default async function TokensPage() {
  const { actor, services } = await requirePageActor('token:manage-own')
  const tokens = await listApiTokens(services.db, actor.id)
  return (
    <>
      <PageHeader
        title="API tokens"
        description="Tokens let scripts, CI jobs and the CLI call the REST API as you, with your role. A token is shown once, when it is created."
      />
      <TokensManager initial={tokens} />
    </>
  )
}
