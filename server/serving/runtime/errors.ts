// What the serving runtime fails with. Each is a class of its own with a stable `name`, so the HTTP
// layer maps them by name (Next bundles a module once per route, so `instanceof` is not enough):
// InvalidFeedsError → 400, InferenceFailedError → 400 (onnxruntime refused these inputs),
// ServingBusyError → 429 with Retry-After, InferenceTimeoutError → 504, ServingClosedError → 503.

/** The request's tensors cannot be run: a missing or unknown input, a wrong type, shape or length. */
export class InvalidFeedsError extends Error {
  override name = 'InvalidFeedsError'
}

/** onnxruntime refused this request's inputs; the message is its reason. */
export class InferenceFailedError extends Error {
  override name = 'InferenceFailedError'
}

/** The model's queue is full: the caller should come back after `retryAfterSeconds`. */
export class ServingBusyError extends Error {
  override name = 'ServingBusyError'
  constructor(
    readonly retryAfterSeconds: number,
    queued: number,
  ) {
    super(`The model is busy: ${queued} requests are already waiting. Try again in ${retryAfterSeconds} s.`)
  }
}

/** No answer within the request's time limit; a late answer is dropped. */
export class InferenceTimeoutError extends Error {
  override name = 'InferenceTimeoutError'
  constructor(readonly timeoutMs: number) {
    super(`The model did not answer within ${timeoutMs} ms.`)
  }
}

/** The model is closing or closed (retired, or replaced by a new version) and takes no new requests. */
export class ServingClosedError extends Error {
  override name = 'ServingClosedError'
}
