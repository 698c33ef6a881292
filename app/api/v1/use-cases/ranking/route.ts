import { BadRequestError } from '@/server/http/errors'
import { apiRoute } from '@/server/http/route'
import { rankingStrategies, type RankingStrategy } from '@/server/use-cases/model'
import { loadBoardSettings } from '@/server/use-cases/board'
import { rankedUseCases } from '@/server/use-cases/use-cases'

/** `?strategy=pain` (biggest pain first, the default) or `?strategy=quick-win` (value per cost). */
export const GET = apiRoute('use-case:read', async ({ request, services }) => {
  const strategy = new URL(request.url).searchParams.get('strategy') ?? 'pain'
  if (!(rankingStrategies as readonly string[]).includes(strategy)) {
    throw new BadRequestError(`strategy must be one of ${rankingStrategies.join(', ')} (got "${strategy}")`)
  }
  const { method } = await loadBoardSettings(services.db)
  return { strategy, method, ranking: await rankedUseCases(services.db, strategy as RankingStrategy) }
})
