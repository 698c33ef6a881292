import type { Metadata } from 'next'
import { redirect } from 'next/navigation'
import { AuthCard } from '@/app/_components/auth-card'
import { anyUserExists, currentActor } from '@/app/_lib/session'
import { SignInForm } from './_components/sign-in-form'

export const dynamic = 'force-dynamic'
export const metadata: Metadata = { title: 'Sign in' }

export default async function SignInPage({ searchParams }: { searchParams: Promise<{ next?: string }> }) {
  if (!(await anyUserExists())) redirect('/setup')
  if (await currentActor()) redirect('/pipelines')
  const { next } = await searchParams
  // only same-site paths: never send people off to another host after signing in
  const target = next && next.startsWith('/') && !next.startsWith('//') ? next : '/pipelines'
  return (
    <AuthCard title="Sign in to Pipewright" subtitle="Use the email and password of your account.">
      <SignInForm next={target} />
    </AuthCard>
  )
}
