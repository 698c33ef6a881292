// The command handoff: a train step runs a training command an administrator allowed on the
// worker, here the shipped PyTorch example trainer on a camera image dataset, and the run goes on
// with the model it wrote. Commands that fail, write nothing, are not allowed, or outlive a cancel
// each end in a clear state.
import fs from 'node:fs'
import path from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { tempDir } from '../harness/backends'
import { savePipeline, waitFor, waitForRun } from '../harness/run-pipeline'

const python = '/usr/bin/python3'
const trainer = path.join(process.cwd(), 'examples/trainers/pytorch_cnn.py')
process.env.PIPEWRIGHT_DATA_DIR = tempDir('handoffs-command')
process.env.LOG_LEVEL = 'silent'
process.env.PIPEWRIGHT_TRAINER_COMMANDS = JSON.stringify({
  'pytorch-cnn': [python, trainer],
  fails: [python, '-c', 'import sys; print("no GPU here", file=sys.stderr); sys.exit(3)'],
  'writes-nothing': [python, '-c', 'print("done, I think")'],
  'writes-junk': [python, '-c', 'import os; open(os.environ["PIPEWRIGHT_HANDOFF_OUTPUT"], "w").write("not a model")'],
  'trains-forever': [python, '-c', 'import time; print("training…", flush=True); time.sleep(600)'],
})
delete process.env.DATABASE_URL
delete process.env.REDIS_URL

const services = await import('@/server/services')
const { startRunningSteps } = await import('@/server/runner/step-runner')
const { startRun, getRunDetail, listRunLogs } = await import('@/server/runner/runs')
const { cancelRun } = await import('@/server/runner/scheduler')
const { getModelVersion } = await import('@/server/models/registry')

let workerStarted = false
async function getServices() {
  const current = await services.getServices()
  if (!workerStarted) {
    workerStarted = true
    await startRunningSteps(current, 1)
  }
  return current
}

function pipeline(name: string, command: string, hyperparameters: Record<string, number> = {}) {
  return {
    apiVersion: 'pipewright/v1',
    name,
    nodes: [
      { id: 'camera', kind: 'ingest', config: { source: { type: 'camera', count: 160, width: 64, height: 64, defectRate: 0.5, defectMix: { scratch: 1, dust: 0, smudge: 0, dent: 0 }, seed: 3, surface: 'brushed-metal' } } },
      { id: 'split', kind: 'split', config: { ratios: { train: 0.7, validation: 0.1, test: 0.2 }, stratifyBy: 'label', seed: 3 } },
      { id: 'train', kind: 'train-handoff', config: { trainer: { type: 'command', command, label: 'label', hyperparameters, timeoutMinutes: 10 }, registerAs: name, seed: 3 } },
      { id: 'evaluate', kind: 'evaluate', config: {} },
    ],
    edges: [
      { from: 'camera.dataset', to: 'split.dataset' },
      { from: 'split.train', to: 'train.train' },
      { from: 'split.validation', to: 'train.validation' },
      { from: 'train.model', to: 'evaluate.model' },
      { from: 'split.test', to: 'evaluate.dataset' },
    ],
  }
}

async function run(name: string, command: string, hyperparameters?: Record<string, number>) {
  const current = await getServices()
  const { runId } = await startRun(current, await savePipeline(current, pipeline(name, command, hyperparameters)))
  return { runId, services: current }
}

const stepOf = (detail: Awaited<ReturnType<typeof getRunDetail>>, nodeId: string) => detail.steps.find((s) => s.nodeId === nodeId)!
const logText = async (runId: string) => (await listRunLogs((await getServices()).db, runId)).map((l) => l.message).join('\n')

afterAll(async () => {
  await services.closeServices(await getServices())
})

describe('command handoff', () => {
  it('runs the PyTorch example trainer on the worker: it trains a CNN from the bundle, its ONNX is checked, registered and evaluated', async () => {
    const { runId, services } = await run('pytorch-surface', 'pytorch-cnn', { imageSize: 32, epochs: 15 })
    const detail = await waitForRun(services, runId, 180_000)
    expect(detail.status, JSON.stringify(detail.steps.map((s) => [s.nodeId, s.status, s.error]))).toBe('succeeded')
    const logs = await logText(runId)
    expect(logs).toMatch(/Packed \d+ train images into train-images\.zip/)
    expect(logs).toMatch(/Started the training command "pytorch-cnn"/)
    expect(logs).toMatch(/epoch 15 of 15: loss \d/)
    const version = await getModelVersion(services.db, 'pytorch-surface', 1)
    expect(version.metadata).toMatchObject({ algorithm: 'external (command)', task: 'classification', label: 'label', params: { imageSize: 32, epochs: 15 } })
    expect(version.metadata.inputs).toEqual([{ name: 'image', type: 'uint8', shape: ['batch', 'height', 'width', 3] }])
    expect(version.lineage).toMatchObject({ runId, nodeId: 'train' })
    const evaluation = JSON.parse(fs.readFileSync(await services.store.localPath(stepOf(detail, 'evaluate').outputs!.report!), 'utf8')) as { metrics: Record<string, number>; }
    // a model that learned from the bundle's images (seen here: accuracy 0.72, ROC-AUC 0.90 on 32 held-out images; half are good)
    console.info(`PyTorch CNN through the command handoff: accuracy ${evaluation.metrics.accuracy}, roc_auc ${evaluation.metrics.roc_auc}`)
    expect(evaluation.metrics.accuracy).toBeGreaterThan(0.6)
    expect(evaluation.metrics.roc_auc).toBeGreaterThan(0.75)
  }, 200_000)

  it('fails the step with the command’s last error lines when it exits non-zero', async () => {
    const { runId, services } = await run('command-fails', 'fails')
    const detail = await waitForRun(services, runId, 60_000)
    expect(detail.status).toBe('failed')
    expect(stepOf(detail, 'train').error).toBe('The training command "fails" exited with code 3: no GPU here')
  }, 90_000)

  it('fails a command that exits 0 without a model, and one whose model is not ONNX, saying which', async () => {
    const first = await run('command-writes-nothing', 'writes-nothing')
    const second = await run('command-writes-junk', 'writes-junk')
    const nothing = await waitForRun(first.services, first.runId, 60_000)
    expect(stepOf(nothing, 'train').error).toMatch(/^The training command "writes-nothing" finished without writing model\.onnx/)
    expect(await logText(first.runId)).toContain('done, I think')
    const junk = await waitForRun(second.services, second.runId, 60_000)
    expect(stepOf(junk, 'train').error).toMatch(/^The model the training command "writes-junk" wrote was refused: .*not an ONNX model/i)
  }, 120_000)

  it('refuses a command no administrator listed before the step waits, naming the ones there are', async () => {
    const { runId, services } = await run('command-unknown', 'rm-rf')
    const detail = await waitForRun(services, runId, 60_000)
    expect(stepOf(detail, 'train').error).toBe('The training command "rm-rf" is not one an administrator allowed: the workers have "pytorch-cnn", "fails", "writes-nothing", "writes-junk", "trains-forever" (see the README, "External training").')
  }, 90_000)

  it('stops the command when its run is canceled', async () => {
    const { runId, services } = await run('command-canceled', 'trains-forever')
    const pid = await waitFor('the command to start', async () => {
      const match = /Started the training command "trains-forever" \(process (\d+)\)/.exec(await logText(runId))
      return match ? Number(match[1]) : undefined
    }, 60_000)
    expect((await getRunDetail(services.db, runId)).status).toBe('waiting')
    await cancelRun(services.db, runId)
    await waitFor('the command to stop', async () => (isAlive(pid) ? undefined : true), 15_000)
    expect((await getRunDetail(services.db, runId)).status).toBe('canceled')
  }, 90_000)
})

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch {
    return false
  }
}
