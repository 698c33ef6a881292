// The fail-safe: its configuration (schema), its check against a model, and its decision per prediction.
export { checkFailsafe, type FailsafeProblem } from './check'
export {
  conditionHolds,
  evaluateFailsafe,
  fallbackReasons,
  formatNumber,
  outOfRange,
  type FailsafeDecision,
  type FailsafeInput,
  type FallbackAnswer,
  type FallbackReason,
  type ModelOutcome,
} from './evaluate'
export * from './schema'
