// Opening a step's handoff on the worker: the files the executor wrote are stored with it, and a
// `command` handoff is checked against the administrator's list before the step parks, so a
// pipeline naming a command nobody allowed fails at once, saying which ones exist.
import { StepError, type HandoffRequest, type HandoffTicket } from '@/nodes/contract'
import type { Services } from '@/server/services'
import { runTrainerCommand } from './command'
import { handoffBaseUrl, openHandoff } from './tickets'

type OpenServices = Pick<Services, 'db' | 'store' | 'queue' | 'env'>

export interface OpenedHandoff {
  ticket: HandoffTicket
  /** what the installation starts once the step is parked: the allowed command */
  start?: (ticket: HandoffTicket) => Promise<void>
}

export function allowedCommand(commands: Record<string, string[]>, name: string | undefined): string[] {
  const argv = name === undefined ? undefined : commands[name]
  if (argv) return argv
  const names = Object.keys(commands)
  throw new StepError(
    `The training command ${JSON.stringify(name ?? '')} is not one an administrator allowed: ${names.length > 0 ? `the workers have ${names.map((n) => JSON.stringify(n)).join(', ')}` : 'PIPEWRIGHT_TRAINER_COMMANDS lists none'} (see the README, "External training").`,
  )
}

export async function openStepHandoff(services: OpenServices, step: { id: string; runId: string; nodeId: string }, request: HandoffRequest): Promise<OpenedHandoff> {
  const argv = request.mode === 'command' ? allowedCommand(services.env.PIPEWRIGHT_TRAINER_COMMANDS, request.command) : undefined
  const written: Record<string, string> = {}
  for (const [name, file] of Object.entries(request.writtenFiles ?? {})) written[name] = (await services.store.putFile(file)).id
  const ticket = await openHandoff(services.db, handoffBaseUrl(services.env.PIPEWRIGHT_PUBLIC_URL), step, { ...request, files: { ...request.files, ...written } })
  if (!argv) return { ticket }
  return { ticket, start: (opened) => runTrainerCommand(services, { ...step, name: request.command! }, opened, argv) }
}
