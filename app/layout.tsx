import type { Metadata } from 'next'
import type { ReactNode } from 'react'
import { TopBar } from './_components/top-bar'
import { currentActor } from './_lib/session'
import './globals.css'

export const metadata: Metadata = {
  title: { default: 'Pipewright', template: '%s · Pipewright' },
  description: 'Build and run machine-learning pipelines in the browser.',
}

export default async function RootLayout({ children }: { children: ReactNode }) {
  // the top bar shows who is signed in; a database hiccup must not take the sign-in page down with it
  const actor = await currentActor().catch(() => null)
  return (
    <html lang="en">
      <body className="min-h-screen font-sans">
        <TopBar actor={actor} />
        <main className="mx-auto max-w-7xl px-4 py-8 sm:px-6">{children}</main>
      </body>
    </html>
  )
}
