// Server-only: per-token request rates for inference, as token buckets (a second's worth of burst).
export class RateLimitedError extends Error {
  override name = 'RateLimitedError'
  constructor(
    readonly retryAfterSeconds: number,
    limit: number,
  ) {
    super(`This token may make ${limit} inference requests a second; try again in ${retryAfterSeconds} s.`)
  }
}

interface Bucket {
  tokens: number
  at: number
}

export class RateLimiter {
  private readonly buckets = new Map<string, Bucket>()

  /** Takes one request from `key`'s bucket, or throws RateLimitedError. */
  take(key: string, perSecond: number, now = Date.now()): void {
    const bucket = this.buckets.get(key) ?? { tokens: perSecond, at: now }
    bucket.tokens = Math.min(perSecond, bucket.tokens + ((now - bucket.at) / 1000) * perSecond)
    bucket.at = now
    this.buckets.set(key, bucket)
    if (bucket.tokens < 1) throw new RateLimitedError(Math.max(1, Math.ceil((1 - bucket.tokens) / perSecond)), perSecond)
    bucket.tokens -= 1
  }
}
