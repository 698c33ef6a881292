import type { UseCaseStatus } from '@/server/use-cases/model'

/** One use case as the board shows it, with its rank under each strategy. */
export interface BoardItem {
  id: string
  title: string
  status: UseCaseStatus
  currency: string
  confidence: number
  severity: number | null
  severitySource: string | null
  ratings: { count: number; median: number | null; min: number | null; max: number | null }
  tco: number | null
  tcoPartial: boolean
  score: number | null
  explain: string
  rank: { pain: number; 'quick-win': number }
}
