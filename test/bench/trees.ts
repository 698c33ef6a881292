// Gradient-boosted trees training speed: the node's trainer (trainInWorker: a worker thread, the
// histogram GBDT in trees/) on 100,000 × 20 rows, 100 trees of depth ≤ 6, squared error, beside two
// references measured in the same run on the same float32 rows:
//  - scikit-learn's HistGradientBoostingRegressor (Debian's python3-sklearn), one OpenMP thread as
//    our trainer has one, with the same settings: 255 value bins, depth 6 with no leaf-count cap,
//    min_samples_leaf 20, l2 1, learning rate 0.1, no early stopping; its fit() alone is timed.
//  - the same library in this thread with `subtraction: false` (both children's histograms built),
//    which shows what the sibling-subtraction trick buys.
// Held-out R² is printed for each, so a faster run cannot hide worse trees.
import { spawnSync } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { performance } from 'node:perf_hooks'
import { regression, splitRows } from '@/nodes/train-handoff/tabular/synthetic'
import { rSquared } from '@/nodes/train-handoff/tabular/metrics'
import { predictMargins, trainTrees } from '@/nodes/train-handoff/trees/gbdt'
import { trainInWorker } from '@/nodes/train-handoff/worker/train-in-worker'

const rows = 100_000
const f = 20
const nTrees = 100
const maxDepth = 6
const python = '/usr/bin/python3'

type Table = ReturnType<typeof regression>

function heldOutR2(margins: Float64Array, test: Table): number {
  return rSquared(Float32Array.from(margins), test.targets)
}

/** Whole call, and how much of it came before the first round's progress (worker start, binning, round 1). */
async function product(train: Table, test: Table): Promise<{ seconds: number; r2: number; beforeFirst: number }> {
  const started = performance.now()
  let first = 0
  const result = await trainInWorker({
    algorithm: 'gradient-boosting',
    task: 'regression',
    featureCount: f,
    // copies: the worker takes the arrays it is given
    train: { features: train.features.slice(), targets: train.targets.slice() },
    params: { trees: nTrees, maxDepth, seed: 1 },
  }, { onProgress: () => void (first ||= performance.now()) })
  const seconds = (performance.now() - started) / 1000
  return { seconds, r2: heldOutR2(predictMargins(result.model, test.features), test), beforeFirst: (first - started) / 1000 }
}

async function withoutSubtraction(train: Table, test: Table): Promise<{ seconds: number; r2: number }> {
  const started = performance.now()
  const model = await trainTrees(train.features, train.targets, f, { objective: 'regression', nTrees, maxDepth, subtraction: false, seed: 1 })
  const seconds = (performance.now() - started) / 1000
  return { seconds, r2: heldOutR2(predictMargins(model, test.features), test) }
}

const sklearnScript = `
import sys, time, json, numpy as np
from sklearn.ensemble import HistGradientBoostingRegressor
from sklearn.metrics import r2_score
d, rows, f, test_rows = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
x = np.fromfile(d + '/x.f32', dtype=np.float32).reshape(rows, f)
y = np.fromfile(d + '/y.f32', dtype=np.float32)
tx = np.fromfile(d + '/tx.f32', dtype=np.float32).reshape(test_rows, f)
ty = np.fromfile(d + '/ty.f32', dtype=np.float32)
model = HistGradientBoostingRegressor(max_iter=${nTrees}, max_depth=${maxDepth}, max_leaf_nodes=None, min_samples_leaf=20,
    l2_regularization=1.0, learning_rate=0.1, max_bins=255, early_stopping=False, random_state=1)
start = time.perf_counter()
model.fit(x, y)
seconds = time.perf_counter() - start
print(json.dumps({ 'seconds': seconds, 'r2': r2_score(ty, model.predict(tx)), 'version': __import__('sklearn').__version__ }))
`

function sklearn(train: Table, test: Table): { seconds: number; r2: number; version: string } | { error: string } {
  if (!fs.existsSync(python)) return { error: `${python} is missing (apt-get install -y python3-sklearn)` }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-trees-'))
  try {
    const write = (name: string, a: Float32Array) => fs.writeFileSync(path.join(dir, name), Buffer.from(a.buffer, a.byteOffset, a.byteLength))
    write('x.f32', train.features), write('y.f32', train.targets), write('tx.f32', test.features), write('ty.f32', test.targets)
    const run = spawnSync(python, ['-c', sklearnScript, dir, String(rows), String(f), String(test.targets.length)], {
      encoding: 'utf8',
      env: { ...process.env, OMP_NUM_THREADS: '1', OPENBLAS_NUM_THREADS: '1' },
    })
    if (run.status !== 0) return { error: run.stderr.trim().split('\n').at(-1) ?? `exit ${run.status}` }
    return JSON.parse(run.stdout.trim().split('\n').at(-1)!)
  } finally {
    fs.rmSync(dir, { recursive: true, force: true })
  }
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.floor(sorted.length / 2)]!
}

export async function benchTrees(repeats = Number(process.env.BENCH_TREES_REPEATS ?? 3)) {
  const [train, test] = splitRows(regression(rows + 20_000, f, 17, 0.1, true), f, rows)
  const ours: { seconds: number; r2: number; beforeFirst: number }[] = []
  const plain: { seconds: number; r2: number }[] = []
  const theirs: { seconds: number; r2: number }[] = []
  let sklearnNote = ''
  // alternate the three so the machine's load falls on all alike
  for (let i = 0; i < repeats; i++) {
    ours.push(await product(train, test))
    const reference = sklearn(train, test)
    if ('error' in reference) sklearnNote = `scikit-learn could not run: ${reference.error}`
    else {
      theirs.push(reference)
      sklearnNote = `scikit-learn ${reference.version}`
    }
    plain.push(await withoutSubtraction(train, test))
  }
  const ourSeconds = median(ours.map((r) => r.seconds))
  const plainSeconds = median(plain.map((r) => r.seconds))
  const sk = theirs.length > 0 ? { seconds: median(theirs.map((r) => r.seconds)), r2: theirs[0]!.r2 } : null
  return {
    benchmark: `gradient-boosted trees (squared error, depth ≤ 6, 255 bins) on ${rows.toLocaleString('en')} × ${f} rows, ${nTrees} trees`,
    product: `${ourSeconds.toFixed(2)} s (trainInWorker; of it ${median(ours.map((r) => r.beforeFirst)).toFixed(2)} s until round 1 was done: worker start, binning, one tree; held-out R² ${ours[0]!.r2.toFixed(4)})`,
    reference: [
      sk ? `${sk.seconds.toFixed(2)} s (${sklearnNote} HistGradientBoostingRegressor, 1 OpenMP thread, fit() alone; R² ${sk.r2.toFixed(4)}); ratio ${(sk.seconds / ourSeconds).toFixed(2)}×` : sklearnNote,
      `${plainSeconds.toFixed(2)} s (same library in this thread, subtraction: false; R² ${plain[0]!.r2.toFixed(4)}); ratio ${(plainSeconds / ourSeconds).toFixed(2)}×`,
      `(medians of ${repeats})`,
    ].join('\n              '),
    target: '— (a figure, no target)',
  }
}
