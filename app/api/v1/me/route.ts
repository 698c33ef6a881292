import { apiRoute } from '@/server/http/route'

export const GET = apiRoute('pipeline:read', async ({ actor }) => ({ user: actor }))
