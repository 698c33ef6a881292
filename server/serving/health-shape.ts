// The shape of live health and the arithmetic that merges it: isomorphic (no server imports), so
// the serving processes, the health query and the deployments pages share one definition.
//
// Every serving process counts requests in time buckets per deployment and model version, and
// latencies in a fixed log-scale histogram. Counts and histogram bins add up across processes, so
// the fleet's p95 is the p95 of all its requests (to the histogram's resolution); averaging each
// process's p95 would not be.

/** One time bucket's width. */
export const bucketMs = 5000
/** How far back the charts (and each process's memory) reach. */
export const chartBuckets = 60
/** The headline numbers: the last 30 s of settled buckets. */
export const windowBuckets = 6
/** How often a serving process writes its recent buckets. */
export const flushEveryMs = 2000
/**
 * A bucket is read once it ended this long ago: by then every process has written its last requests
 * (bucket starts come from each process's clock, so the machines' clocks should agree, as NTP keeps them).
 */
export const settleMs = flushEveryMs + 1000

/** Bins per doubling of latency: a bin is 9% wide, so a p95 read from it is within 4.5% of the exact one. */
const binsPerDoubling = 8
const smallestMs = 0.001
const largestMs = 3_600_000

/** Sparse histogram: bin index → count. Bin `i` holds latencies in (2^((i-1)/8), 2^(i/8)] ms. */
export type LatencyBins = Record<string, number>

export function binOf(latencyMs: number): number {
  const ms = Math.min(largestMs, Math.max(smallestMs, Number.isFinite(latencyMs) ? latencyMs : largestMs))
  return Math.ceil(Math.log2(ms) * binsPerDoubling)
}

/** The value a bin stands for: the geometric middle of its bounds. */
export function binValue(bin: number): number {
  return 2 ** ((bin - 0.5) / binsPerDoubling)
}

/** The largest relative difference between a latency and its bin's value. */
export const binResolution = 2 ** (1 / (2 * binsPerDoubling)) - 1

export function addLatency(bins: LatencyBins, latencyMs: number): void {
  const bin = String(binOf(latencyMs))
  bins[bin] = (bins[bin] ?? 0) + 1
}

/** Adds `from` into `into` (bins of several processes or buckets). */
export function mergeBins(into: LatencyBins, from: Readonly<LatencyBins>): LatencyBins {
  for (const [bin, count] of Object.entries(from)) into[bin] = (into[bin] ?? 0) + count
  return into
}

/**
 * The latency at `p` (0…1): the value of the bin holding the request ranked `floor(n·p)` (from 0),
 * the same rank a sorted list of the latencies would be read at. Null with no requests.
 */
export function percentileOfBins(bins: Readonly<LatencyBins>, p: number): number | null {
  const sorted = Object.entries(bins)
    .map(([bin, count]) => [Number(bin), count] as const)
    .filter(([, count]) => count > 0)
    .sort((a, b) => a[0] - b[0])
  const total = sorted.reduce((n, [, count]) => n + count, 0)
  if (total === 0) return null
  const rank = Math.min(total - 1, Math.floor(total * p))
  let seen = 0
  for (const [bin, count] of sorted) {
    seen += count
    if (seen > rank) return binValue(bin)
  }
  return binValue(sorted.at(-1)![0])
}

/** What one process counted for one deployment version in one bucket (or several of them added up). */
export interface BucketCounts {
  requests: number
  errors: number
  fallbacks: number
  bins: LatencyBins
}

/** One stored bucket of one process, as the health query reads it. */
export interface ProcessBucket extends BucketCounts {
  processId: string
  version: number
  /** a shadow's runs: counted for its version, never in the deployment's totals (no caller got them) */
  shadow: boolean
  /** the bucket's start, epoch milliseconds */
  at: number
}

export interface HealthPoint {
  /** the bucket's start, epoch milliseconds */
  at: number
  /** requests in the bucket (per second: divide by `bucketSeconds`) */
  requests: number
  errors: number
  fallbacks: number
  p95Ms: number | null
}

export interface HealthSummary {
  requestsPerSecond: number
  /** requests in the window */
  requests: number
  p95Ms: number | null
  errorRate: number
  fallbackRate: number
  series: HealthPoint[]
}

export interface VersionHealth extends HealthSummary {
  version: number
  shadow: boolean
}

/** `GET /api/v1/deployments/{name}/health`: every serving process's buckets merged. */
export interface DeploymentHealth extends HealthSummary {
  name: string
  /** the window the headline numbers cover */
  windowSeconds: number
  bucketSeconds: number
  /** serving processes that answered requests of this deployment in the window */
  processes: number
  /** each version that had requests in the charts' span, answering versions first */
  versions: VersionHealth[]
}

/** The start of the newest bucket that has settled (ended `settleMs` ago), and of the oldest charted. */
export function chartSpan(now: number): { from: number; to: number } {
  const to = Math.floor((now - settleMs) / bucketMs) * bucketMs - bucketMs
  return { from: to - (chartBuckets - 1) * bucketMs, to }
}

function emptyCounts(): BucketCounts {
  return { requests: 0, errors: 0, fallbacks: 0, bins: {} }
}

export function addCounts(into: BucketCounts, from: BucketCounts): BucketCounts {
  into.requests += from.requests
  into.errors += from.errors
  into.fallbacks += from.fallbacks
  mergeBins(into.bins, from.bins)
  return into
}

/** Buckets (of any processes) summed up per bucket start, over the chart's span, gaps as zero. */
function summarize(buckets: readonly ProcessBucket[], span: { from: number; to: number }): HealthSummary {
  const byStart = new Map<number, BucketCounts>()
  for (const bucket of buckets) {
    if (bucket.at < span.from || bucket.at > span.to) continue
    let counts = byStart.get(bucket.at)
    if (!counts) byStart.set(bucket.at, (counts = emptyCounts()))
    addCounts(counts, bucket)
  }
  const series: HealthPoint[] = []
  const window = emptyCounts()
  const windowFrom = span.to - (windowBuckets - 1) * bucketMs
  for (let at = span.from; at <= span.to; at += bucketMs) {
    const counts = byStart.get(at) ?? emptyCounts()
    series.push({ at, requests: counts.requests, errors: counts.errors, fallbacks: counts.fallbacks, p95Ms: percentileOfBins(counts.bins, 0.95) })
    if (at >= windowFrom) addCounts(window, counts)
  }
  return {
    requestsPerSecond: window.requests / ((windowBuckets * bucketMs) / 1000),
    requests: window.requests,
    p95Ms: percentileOfBins(window.bins, 0.95),
    errorRate: window.requests ? window.errors / window.requests : 0,
    fallbackRate: window.requests ? window.fallbacks / window.requests : 0,
    series,
  }
}

/** The fleet's health of one deployment from every process's stored buckets. */
export function deploymentHealth(name: string, buckets: readonly ProcessBucket[], now: number): DeploymentHealth {
  const span = chartSpan(now)
  const answered = buckets.filter((b) => !b.shadow)
  const windowFrom = span.to - (windowBuckets - 1) * bucketMs
  const processes = new Set(answered.filter((b) => b.at >= windowFrom && b.at <= span.to && b.requests > 0).map((b) => b.processId))
  const byVersion = new Map<string, ProcessBucket[]>()
  for (const bucket of buckets) {
    if (bucket.at < span.from || bucket.at > span.to) continue
    const key = `${bucket.version}:${bucket.shadow}`
    const mine = byVersion.get(key)
    if (mine) mine.push(bucket)
    else byVersion.set(key, [bucket])
  }
  const versions = [...byVersion.values()].map((mine) => ({ version: mine[0]!.version, shadow: mine[0]!.shadow, ...summarize(mine, span) }))
  return {
    name,
    windowSeconds: (windowBuckets * bucketMs) / 1000,
    bucketSeconds: bucketMs / 1000,
    processes: processes.size,
    ...summarize(answered, span),
    versions: versions.sort((a, b) => Number(a.shadow) - Number(b.shadow) || a.version - b.version),
  }
}
