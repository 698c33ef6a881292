import type { Metadata } from 'next'
import { redirect } from 'next/navigation'
import { anyUserExists } from '@/app/_lib/session'
import { AuthCard } from '@/app/_components/auth-card'
import { SetupForm } from './_components/setup-form'

export const dynamic = 'force-dynamic'
export const metadata: Metadata = { title: 'Set up' }

export default async function SetupPage() {
  if (await anyUserExists()) redirect('/sign-in')
  return (
    <AuthCard
      title="Welcome to Pipewright"
      subtitle="Create the owner account. It can run and edit every pipeline and invite others later."
    >
      <SetupForm />
    </AuthCard>
  )
}
