import Link from 'next/link'
import { EmptyState } from './_components/empty-state'

export default function NotFound() {
  return (
    <EmptyState title="Not found">
      <p>There is nothing at this address. It may have been deleted, or the link is wrong.</p>
      <Link href="/pipelines" className="link mt-3 inline-block">
        Back to pipelines
      </Link>
    </EmptyState>
  )
}
