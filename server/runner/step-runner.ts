import { stopTrainerCommands } from '@/server/handoffs/command'
import type { Services } from '@/server/services'
import { processStep } from './process-step'
import { startReconciler } from './reconciler'

/**
 * Make this process one that runs steps: take jobs from the queue, and reconcile (every process
 * that runs steps also puts lost ones back, so no run depends on one particular process).
 * Both stop with `closeServices`.
 */
export async function startRunningSteps(services: Services, concurrency: number): Promise<void> {
  await services.queue.startWorker((job) => processStep(services, job), concurrency)
  services.onClose.push(startReconciler(services, services.env.PIPEWRIGHT_RECONCILE_INTERVAL_MS))
  // a training command does not outlive its worker: its step then fails at the handoff's timeout
  services.onClose.push(stopTrainerCommands)
}
