'use client'
import { createTRPCClient, httpBatchLink, httpSubscriptionLink, splitLink } from '@trpc/client'
import superjson from 'superjson'
import type { AppRouter } from '@/server/api/root'

/** The browser's typed client. Subscriptions (live runs) go over SSE. */
export const trpc = createTRPCClient<AppRouter>({
  links: [
    splitLink({
      condition: (op) => op.type === 'subscription',
      true: httpSubscriptionLink({ url: '/api/trpc', transformer: superjson }),
      false: httpBatchLink({ url: '/api/trpc', transformer: superjson }),
    }),
  ],
})
