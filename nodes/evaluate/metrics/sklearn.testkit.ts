// Test helper: scikit-learn's answers for a list of cases, from Debian's python3-sklearn in one process.
import { spawnSync } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'
import { expect } from 'vitest'

const python = '/usr/bin/python3'
const script = path.join(import.meta.dirname, 'sklearn_reference.py')

export function sklearn<T = Record<string, unknown>>(cases: ({ kind: string } & Record<string, unknown>)[]): T[] {
  if (!fs.existsSync(python)) throw new Error(`${python} is missing: the metrics are checked against Debian's scikit-learn (apt-get install -y python3-sklearn)`)
  const run = spawnSync(python, [script], { input: JSON.stringify(cases), encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 })
  if (run.status !== 0) {
    throw new Error(`scikit-learn could not run (apt-get install -y python3-sklearn): ${run.stderr.trim().split('\n').at(-1)}`)
  }
  return JSON.parse(run.stdout) as T[]
}

export function closeTo(actual: number, expected: number, what: string) {
  expect(Math.abs(actual - expected), `${what}: ${actual} vs scikit-learn ${expected}`).toBeLessThanOrEqual(1e-9)
}
