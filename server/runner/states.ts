import type { RunStatus, StepStatus } from '@/db/schema'

export const terminalStepStatuses: ReadonlySet<StepStatus> = new Set(['succeeded', 'failed', 'canceled', 'skipped'])
export const terminalRunStatuses: ReadonlySet<RunStatus> = new Set(['succeeded', 'failed', 'canceled'])
/** an upstream step in one of these states means its dependants will never run */
export const blockingStepStatuses: ReadonlySet<StepStatus> = new Set(['failed', 'canceled', 'skipped'])

export function isTerminalStep(status: StepStatus): boolean {
  return terminalStepStatuses.has(status)
}

export function isTerminalRun(status: RunStatus): boolean {
  return terminalRunStatuses.has(status)
}
