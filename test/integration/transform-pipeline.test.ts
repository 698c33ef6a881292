import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { embeddedBackend, type Backend } from '../harness/backends'
import { readDataset } from '../harness/parquet'
import { runToEnd } from '../harness/run-pipeline'

function pipeline(name: string, config: unknown) {
  return {
    apiVersion: 'pipewright/v1',
    name,
    nodes: [
      { id: 'load', kind: 'ingest', config: { source: { type: 'sample', name: 'penguins' } } },
      { id: 'prepare', kind: 'transform', config },
    ],
    edges: [{ from: 'load.dataset', to: 'prepare.dataset' }],
  }
}

describe('a transform in a pipeline run', () => {
  let backend: Backend
  beforeAll(async () => {
    backend = await embeddedBackend()
  })
  afterAll(async () => {
    await backend?.close()
  })

  it('cleans the penguins sample: fills, filters, derives and one-hot encodes', async () => {
    const run = await runToEnd(
      backend.services,
      pipeline('penguins-prepared', {
        steps: [
          { op: 'fill_nulls', columns: ['bill_length_mm'], strategy: 'median' },
          { op: 'filter', conditions: [{ column: 'sex', operator: 'is not null' }] },
          { op: 'derive', name: 'bill ratio', expression: 'round(bill_length_mm / bill_depth_mm, 2)' },
          { op: 'one_hot', column: 'island' },
        ],
      }),
    )
    expect(run.status).toBe('succeeded')
    const step = run.steps.find((s) => s.nodeId === 'prepare')!
    const rows = await readDataset(backend.services, step.outputs.dataset!)
    expect(rows.length).toBeGreaterThan(0)
    expect(rows.every((r) => r.sex !== null && r.bill_length_mm !== null)).toBe(true)
    expect(Object.keys(rows[0]!)).toEqual(expect.arrayContaining(['bill ratio', 'island_Biscoe', 'island_Dream', 'island_Torgersen']))
    expect(rows.every((r) => Number(r.island_Biscoe) + Number(r.island_Dream) + Number(r.island_Torgersen) === 1)).toBe(true)
  })

  it('fails the step with the message of the step that is wrong', async () => {
    const run = await runToEnd(backend.services, pipeline('penguins-wrong', { steps: [{ op: 'drop', columns: ['beak'] }] }))
    expect(run.status).toBe('failed')
    expect(run.steps.find((s) => s.nodeId === 'prepare')!.error).toMatch(/^Step 1 \(drop\): there is no column "beak"\. The columns are: "species", "island"/)
  })

  it('runs SQL mode and refuses a query that reads a file', async () => {
    const ok = await runToEnd(backend.services, pipeline('penguins-sql', { sql: 'SELECT species, count(*) AS n FROM input GROUP BY species ORDER BY species' }))
    expect(ok.status).toBe('succeeded')
    const rows = await readDataset(backend.services, ok.steps.find((s) => s.nodeId === 'prepare')!.outputs.dataset!)
    expect(rows.map((r) => r.species)).toEqual(expect.arrayContaining(['Adelie', 'Chinstrap', 'Gentoo']))
    const refused = await runToEnd(backend.services, pipeline('penguins-sql-file', { sql: `SELECT * FROM read_csv('/etc/passwd')` }))
    expect(refused.status).toBe('failed')
    expect(refused.steps.find((s) => s.nodeId === 'prepare')!.error).toMatch(/^The query is not allowed: Cannot access file "\/etc\/passwd"/)
  })
})
