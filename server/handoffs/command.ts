// The `command` handoff: an administrator-listed program runs on the worker beside the parked
// step (which holds no worker slot). It gets the bundle as a folder, writes model.onnx there and
// exits; its output lines go to the step's log. Exit 0 with a model completes the step through the
// same checks as the callback; anything else fails it, saying why. A cancel, a timeout or a model
// that arrived by the callback instead stops the program.
import { spawn, type ChildProcess } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import readline from 'node:readline'
import { eq } from 'drizzle-orm'
import { handoffs, steps } from '@/db/schema'
import type { HandoffTicket } from '@/nodes/contract'
import { advanceRun } from '@/server/runner/scheduler'
import { failWaitingStep } from '@/server/runner/state-machine'
import { StepLogger } from '@/server/runner/step-logger'
import type { Services } from '@/server/services'
import { acceptHandoffModel } from './accept-model'
import { manifestView } from './bundle'

type CommandServices = Pick<Services, 'db' | 'store' | 'queue'>

interface CommandStep {
  id: string
  runId: string
  /** the command's name in PIPEWRIGHT_TRAINER_COMMANDS */
  name: string
}

/** how often a running command looks whether its step still waits (canceled, timed out, model sent) */
const watchMs = 1000
const killGraceMs = 5000
const maxLoggedLines = 5000
const lastLinesKept = 20

/** Commands started by this process, stopped when it shuts down (their steps then time out). */
const running = new Set<ChildProcess>()

export async function stopTrainerCommands(): Promise<void> {
  for (const child of running) child.kill('SIGTERM')
}

/** The folder the command works in: manifest.json and every handed-off file, by its name. */
async function writeBundle(services: CommandServices, handoffId: string, ticket: HandoffTicket): Promise<string> {
  const [handoff] = await services.db.select().from(handoffs).where(eq(handoffs.id, handoffId))
  if (!handoff) throw new Error(`Handoff ${handoffId} is gone.`)
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pipewright-trainer-'))
  fs.writeFileSync(path.join(dir, 'manifest.json'), JSON.stringify(manifestView(handoff, ticket.bundleUrl), null, 2))
  for (const [name, id] of Object.entries(handoff.files)) await fs.promises.copyFile(await services.store.localPath(id), path.join(dir, name))
  return dir
}

/** Only what a trainer needs: never the app's own secrets (database, Redis) from its environment. */
function commandEnv(dir: string, ticket: HandoffTicket): NodeJS.ProcessEnv {
  const passed = ['PATH', 'HOME', 'LANG', 'LC_ALL', 'TZ', 'PYTHONPATH', 'VIRTUAL_ENV', 'CUDA_VISIBLE_DEVICES', 'OMP_NUM_THREADS']
  return {
    ...Object.fromEntries(passed.filter((key) => process.env[key] !== undefined).map((key) => [key, process.env[key]])),
    NODE_ENV: process.env.NODE_ENV,
    TMPDIR: dir,
    PIPEWRIGHT_HANDOFF_DIR: dir,
    PIPEWRIGHT_HANDOFF_MANIFEST: path.join(dir, 'manifest.json'),
    PIPEWRIGHT_HANDOFF_OUTPUT: path.join(dir, 'model.onnx'),
    PIPEWRIGHT_HANDOFF_BUNDLE_URL: ticket.bundleUrl,
    PIPEWRIGHT_HANDOFF_CALLBACK_URL: ticket.callbackUrl,
    PIPEWRIGHT_HANDOFF_TOKEN: ticket.token,
  }
}

/** Each output line into the step's log (stderr as warnings), up to a limit; the last stderr lines kept for a failure. */
function logOutput(child: ChildProcess, logger: StepLogger): string[] {
  const lastErrors: string[] = []
  let logged = 0
  const follow = (stream: NodeJS.ReadableStream | null, level: 'info' | 'warn') => {
    if (!stream) return
    readline.createInterface({ input: stream, crlfDelay: Infinity }).on('line', (line) => {
      if (level === 'warn') lastErrors.splice(0, Math.max(0, lastErrors.length - lastLinesKept + 1), line.slice(0, 500))
      if (++logged <= maxLoggedLines) logger.log(level, line)
      else if (logged === maxLoggedLines + 1) logger.log('warn', `The command wrote more than ${maxLoggedLines} lines; the rest is left out of this log.`)
    })
  }
  follow(child.stdout, 'info')
  follow(child.stderr, 'warn')
  return lastErrors
}

async function stillWaiting(services: CommandServices, stepId: string): Promise<boolean> {
  const [row] = await services.db.select({ status: steps.status }).from(steps).where(eq(steps.id, stepId))
  return row?.status === 'waiting'
}

/** Stops the command once its step stops waiting: SIGTERM, then SIGKILL if it lingers. */
function watchStep(services: CommandServices, stepId: string, child: ChildProcess): () => void {
  let killTimer: NodeJS.Timeout | undefined
  const timer = setInterval(() => {
    void stillWaiting(services, stepId)
      .then((waiting) => {
        if (waiting || child.exitCode !== null || killTimer) return
        child.kill('SIGTERM')
        killTimer = setTimeout(() => child.kill('SIGKILL'), killGraceMs)
      })
      .catch(() => undefined) // the database away for a moment: look again next time
  }, watchMs)
  return () => {
    clearInterval(timer)
    clearTimeout(killTimer)
  }
}

/** Starts the command and returns once it runs; a program that cannot start fails the step (via the caller). */
export async function runTrainerCommand(services: CommandServices, step: CommandStep, ticket: HandoffTicket, argv: string[]): Promise<void> {
  const dir = await writeBundle(services, ticket.id, ticket)
  const logger = new StepLogger(services.db, step.runId, step.id)
  const child = spawn(argv[0]!, argv.slice(1), { cwd: dir, env: commandEnv(dir, ticket), stdio: ['ignore', 'pipe', 'pipe'] })
  await new Promise<void>((resolve, reject) => {
    child.once('spawn', resolve)
    child.once('error', (error) => {
      fs.rmSync(dir, { recursive: true, force: true })
      reject(new Error(`The training command "${step.name}" (${argv[0]}) could not start: ${error.message}.`))
    })
  })
  running.add(child)
  logger.log('info', `Started the training command "${step.name}" (process ${child.pid}) in ${dir}.`)
  const lastErrors = logOutput(child, logger)
  const stopWatching = watchStep(services, step.id, child)
  child.once('close', (code, signal) => {
    running.delete(child)
    stopWatching()
    void settle(services, step, { handoffId: ticket.id, code, signal, dir, lastErrors, logger }).finally(() => fs.rmSync(dir, { recursive: true, force: true }))
  })
}

interface Ending {
  handoffId: string
  code: number | null
  signal: NodeJS.Signals | null
  dir: string
  lastErrors: string[]
  logger: StepLogger
}

/** After the command ends: its model completes the step, or the step fails with the reason. */
async function settle(services: CommandServices, step: CommandStep, ending: Ending): Promise<void> {
  await ending.logger.flush()
  if (!(await stillWaiting(services, step.id))) return // canceled, timed out, or the model came by the callback
  const failure = await modelOrFailure(services, step, ending)
  if (failure && (await failWaitingStep(services.db, step.id, step.runId, failure))) await advanceRun(services, step.runId)
}

async function modelOrFailure(services: CommandServices, step: CommandStep, ending: Ending): Promise<string | null> {
  const said = ending.lastErrors.length > 0 ? `: ${ending.lastErrors.join(' | ')}` : ''
  if (ending.code !== 0) return `The training command "${step.name}" ${ending.signal ? `was stopped by ${ending.signal}` : `exited with code ${ending.code}`}${said}`
  const file = path.join(ending.dir, 'model.onnx')
  if (!fs.existsSync(file)) return `The training command "${step.name}" finished without writing model.onnx ($PIPEWRIGHT_HANDOFF_OUTPUT) or sending the model to the callback.`
  const [handoff] = await services.db.select().from(handoffs).where(eq(handoffs.id, ending.handoffId))
  if (!handoff) return 'The handoff of this step is gone.'
  try {
    await acceptHandoffModel(services, handoff, fs.readFileSync(file))
    return null
  } catch (error) {
    return `The model the training command "${step.name}" wrote was refused: ${(error as Error).message}`
  }
}
