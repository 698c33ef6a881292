import type { BoardSettings, RankingStrategy, UseCaseFields } from './model'

/**
 * How the board scores and ranks use cases. Pure and isomorphic: the server ranks with it and
 * the browser explains a score with it.
 *
 * - Severity: the PM's override if there is one, else the median of the stakeholders' ratings,
 *   else the PM's own estimate; unknown when none of these exists.
 * - Total cost of ownership over H years: development + 12·H·monthly production + H·yearly
 *   maintenance. A missing part counts as 0 and marks the total partial; with all three missing
 *   the cost is unknown.
 * - Default score, "value per cost": severity^a ÷ (TCO in thousands)^b, with a = painWeight and
 *   b = costWeight (both 1 unless the board changes them; TCO floored at 1 so a free use case
 *   does not divide by zero).
 * - RICE: reach × impact × confidence ÷ effort. WSJF: (business value + time criticality + risk
 *   reduction) ÷ job size. The board picks which of the three is "the score".
 * - Rankings: "pain" orders by severity, then score, then lower cost; "quick-win" by score, then
 *   severity, then lower cost. Unknowns go last. Use cases equal on every key share a rank
 *   (1, 2, 2, 4) and are listed by title.
 */

export type SeveritySource = 'override' | 'ratings' | 'estimate'

export interface RatingsSummary {
  count: number
  median: number | null
  min: number | null
  max: number | null
  q1: number | null
  q3: number | null
}

/** What scoring needs of a use case: its fields, the override and the ratings' summary. */
export interface ScoringInput extends Pick<
  UseCaseFields,
  | 'title'
  | 'severity'
  | 'devCost'
  | 'prodCostMonthly'
  | 'maintenanceCostYearly'
  | 'currency'
  | 'confidence'
  | 'reach'
  | 'impact'
  | 'effort'
  | 'businessValue'
  | 'timeCriticality'
  | 'riskReduction'
  | 'jobSize'
> {
  id: string
  severityOverride: number | null
  ratings: RatingsSummary
}

export interface Score {
  severity: number | null
  severitySource: SeveritySource | null
  tco: { total: number | null; partial: boolean }
  /** the board method's score; null when an input is missing */
  value: number | null
  /** the computation in numbers, for a tooltip */
  explain: string
}

export interface Ranked {
  id: string
  title: string
  rank: number
  score: Score
}

/** Quantile by linear interpolation between the closest ranks (what spreadsheets call QUARTILE.INC). */
function quantile(sorted: number[], q: number): number {
  const at = (sorted.length - 1) * q
  const low = Math.floor(at)
  const high = Math.ceil(at)
  return sorted[low]! + (sorted[high]! - sorted[low]!) * (at - low)
}

export function summarizeRatings(severities: number[]): RatingsSummary {
  if (severities.length === 0) return { count: 0, median: null, min: null, max: null, q1: null, q3: null }
  const sorted = [...severities].sort((a, b) => a - b)
  return {
    count: sorted.length,
    median: quantile(sorted, 0.5),
    min: sorted[0]!,
    max: sorted.at(-1)!,
    q1: quantile(sorted, 0.25),
    q3: quantile(sorted, 0.75),
  }
}

export function effectiveSeverity(item: ScoringInput): { severity: number | null; source: SeveritySource | null } {
  if (item.severityOverride !== null) return { severity: item.severityOverride, source: 'override' }
  if (item.ratings.median !== null) return { severity: item.ratings.median, source: 'ratings' }
  if (item.severity !== null) return { severity: item.severity, source: 'estimate' }
  return { severity: null, source: null }
}

export function totalCost(item: ScoringInput, horizonYears: number): { total: number | null; partial: boolean; explain: string } {
  const parts = [item.devCost, item.prodCostMonthly, item.maintenanceCostYearly]
  const known = parts.filter((p): p is number => p !== null)
  if (known.length === 0) return { total: null, partial: false, explain: 'costs unknown' }
  const dev = item.devCost ?? 0
  const prod = item.prodCostMonthly ?? 0
  const maint = item.maintenanceCostYearly ?? 0
  const total = dev + 12 * horizonYears * prod + horizonYears * maint
  const partial = known.length < parts.length
  const explain = `TCO over ${horizonYears} y = ${fmt(dev)} + 12×${horizonYears}×${fmt(prod)} + ${horizonYears}×${fmt(maint)} = ${fmt(total)} ${item.currency}${partial ? ' (some costs missing, counted as 0)' : ''}`
  return { total, partial, explain }
}

// made once: toLocaleString builds a formatter per call, which dominated ranking a large board
const twoDecimals = new Intl.NumberFormat('en-US', { maximumFractionDigits: 2 })
const sixDecimals = new Intl.NumberFormat('en-US', { maximumFractionDigits: 6 })

function fmt(n: number): string {
  return twoDecimals.format(n)
}

function round3(n: number): string {
  return sixDecimals.format(Number(n.toPrecision(3)))
}

function defaultScore(severity: number | null, tco: number | null, settings: BoardSettings): { value: number | null; explain: string } {
  if (severity === null) return { value: null, explain: 'severity unknown: rate it or estimate it' }
  if (tco === null) return { value: null, explain: 'costs unknown: estimate at least one of them' }
  const thousands = Math.max(tco, 1) / 1000
  const value = severity ** settings.painWeight / thousands ** settings.costWeight
  return { value, explain: `${severity}^${settings.painWeight} ÷ (${round3(thousands)} k)^${settings.costWeight} = ${round3(value)}` }
}

function riceScore(item: ScoringInput): { value: number | null; explain: string } {
  const { reach, impact, confidence, effort } = item
  if (reach === null || impact === null || effort === null) return { value: null, explain: 'RICE needs reach, impact and effort' }
  const value = (reach * impact * (confidence / 100)) / effort
  return { value, explain: `RICE = ${fmt(reach)} × ${impact} × ${confidence} % ÷ ${effort} = ${round3(value)}` }
}

function wsjfScore(item: ScoringInput): { value: number | null; explain: string } {
  const { businessValue, timeCriticality, riskReduction, jobSize } = item
  if (businessValue === null || timeCriticality === null || riskReduction === null || jobSize === null) {
    return { value: null, explain: 'WSJF needs business value, time criticality, risk reduction and job size' }
  }
  const value = (businessValue + timeCriticality + riskReduction) / jobSize
  return { value, explain: `WSJF = (${businessValue} + ${timeCriticality} + ${riskReduction}) ÷ ${jobSize} = ${round3(value)}` }
}

export function scoreUseCase(item: ScoringInput, settings: BoardSettings): Score {
  const { severity, source } = effectiveSeverity(item)
  const tco = totalCost(item, settings.horizonYears)
  const method = settings.method === 'rice' ? riceScore(item) : settings.method === 'wsjf' ? wsjfScore(item) : defaultScore(severity, tco.total, settings)
  const explain = settings.method === 'default' && tco.total !== null ? `${method.explain} · ${tco.explain}` : method.explain
  return { severity, severitySource: source, tco: { total: tco.total, partial: tco.partial }, value: method.value, explain }
}

/** Higher first, unknown last. */
const descending = (a: number | null, b: number | null) => (a === null ? (b === null ? 0 : 1) : b === null ? -1 : b - a)
/** Lower first, unknown last. */
const ascending = (a: number | null, b: number | null) => (a === null ? (b === null ? 0 : 1) : b === null ? -1 : a - b)

const keys: Record<RankingStrategy, ((a: Score, b: Score) => number)[]> = {
  pain: [(a, b) => descending(a.severity, b.severity), (a, b) => descending(a.value, b.value), (a, b) => ascending(a.tco.total, b.tco.total)],
  'quick-win': [(a, b) => descending(a.value, b.value), (a, b) => descending(a.severity, b.severity), (a, b) => ascending(a.tco.total, b.tco.total)],
}

export function rankUseCases(items: ScoringInput[], strategy: RankingStrategy, settings: BoardSettings): Ranked[] {
  return rankScored(
    items.map((item) => ({ id: item.id, title: item.title, score: scoreUseCase(item, settings) })),
    strategy,
  )
}

/** Ranks use cases already scored (the board lists them with their scores; no need to score twice). */
export function rankScored(items: Omit<Ranked, 'rank'>[], strategy: RankingStrategy): Ranked[] {
  const compareKeys = (a: Score, b: Score) => {
    for (const key of keys[strategy]) {
      const order = key(a, b)
      if (order !== 0) return order
    }
    return 0
  }
  const scored = [...items].sort((a, b) => compareKeys(a.score, b.score) || a.title.localeCompare(b.title))
  // sorted, so equals are neighbours: one pass gives competition ranks (1, 2, 2, 4)
  const ranked: Ranked[] = []
  scored.forEach((entry, index) => {
    const previous = ranked[index - 1]
    const tied = previous !== undefined && compareKeys(previous.score, entry.score) === 0
    ranked.push({ ...entry, rank: tied ? previous.rank : index + 1 })
  })
  return ranked
}
