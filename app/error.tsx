'use client'
import { Alert } from './_components/alert'

/** Anything a page throws that it did not handle itself. */
export default function ErrorPage({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  return (
    <div className="mx-auto max-w-xl space-y-4 py-12">
      <Alert title="This page could not be shown">
        <p>{error.message || 'An unexpected error happened.'}</p>
        {error.digest ? <p className="mt-1 font-mono text-xs opacity-70">digest {error.digest}</p> : null}
      </Alert>
      <button type="button" className="btn-secondary" onClick={reset}>
        Try again
      </button>
    </div>
  )
}
