import { apiRoute } from '@/server/http/route'

export const GET = apiRoute('signed-in', async ({ actor }) => ({ user: actor }))
