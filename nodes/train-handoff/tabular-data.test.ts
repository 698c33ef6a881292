import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { withDuckDB } from '../_lib/duckdb'
import { describeParquet } from '../_lib/parquet'
import { writeParquet } from '../_lib/test-context'
import type { BuiltinTrainer } from './definition'
import { distinctLabelCount, readTrainingRows, tableSpec } from './tabular-data'

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tabular-data-'))
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }))

const trainer = (extra: Partial<BuiltinTrainer>): BuiltinTrainer => ({ type: 'builtin', algorithm: 'mlp', label: 'class', ...extra })

async function table(select: string) {
  const file = await writeParquet(path.join(dir, `${Math.random().toString(36).slice(2)}.parquet`), select)
  return { file, schema: (await describeParquet(file)).schema }
}

describe('a training table as the trainer takes it', () => {
  it('takes every column but the label and bookkeeping, numbers and text by kind, and says which it left out', async () => {
    const { schema } = await table(`SELECT 1.5 AS "bill [mm]", 'Biscoe' AS "island ""x""", true AS tagged, DATE '2024-01-01' AS day, 3 AS _source_row, 'a' AS class`)
    const spec = tableSpec(schema, trainer({}), 2)
    expect(spec.features).toEqual([
      { name: 'bill [mm]', kind: 'number' },
      { name: 'island "x"', kind: 'category' },
      { name: 'tagged', kind: 'category' },
    ])
    expect(spec.skipped).toEqual([{ column: 'day', reason: 'its type DATE is neither a number nor text; derive a number from it with a transform step' }])
    expect(spec.task).toBe('classification')
  })

  it('guesses the task from the label: text is a class, a float a quantity, a few whole numbers classes', async () => {
    const { schema } = await table(`SELECT 1.0 AS x, 2.5 AS price, 3 AS rating, 'a' AS class`)
    expect(tableSpec(schema, trainer({ label: 'price' }), 100).task).toBe('regression')
    expect(tableSpec(schema, trainer({ label: 'rating' }), 5).task).toBe('classification')
    expect(tableSpec(schema, trainer({ label: 'rating' }), 500).task).toBe('regression')
    expect(tableSpec(schema, trainer({ label: 'rating', algorithm: 'ridge' }), 5).task).toBe('regression')
    expect(tableSpec(schema, trainer({ label: 'price', task: 'classification' }), 100).task).toBe('classification')
  })

  it('names a missing label or feature column and lists the columns there are', async () => {
    const { schema } = await table(`SELECT 1 AS x, 'a' AS class`)
    expect(() => tableSpec(schema, trainer({ label: 'species' }), 0)).toThrow('The label column "species" is not in the training data; it has "x", "class".')
    expect(() => tableSpec(schema, trainer({ features: ['y'] }), 2)).toThrow('The feature column "y" is not in the training data')
    const { schema: onlyDates } = await table(`SELECT DATE '2024-01-01' AS day, 'a' AS class`)
    expect(() => tableSpec(onlyDates, trainer({}), 1)).toThrow(/No column can be a feature: "day" \(its type DATE/)
  })

  it('reads labelled rows with class indices in sorted class order, leaving unlabelled rows out', async () => {
    const { file, schema } = await table(`SELECT * FROM (VALUES (1.0, 'b'), (2.0, 'a'), (NULL, 'b'), (4.0, NULL)) AS t("x [1]", class)`)
    await withDuckDB(async (db) => {
      const spec = tableSpec(schema, trainer({}), await distinctLabelCount(db, file, 'class'))
      const read = await readTrainingRows(db, file, spec)
      expect(read.labels).toEqual(['a', 'b'])
      expect([...read.targets]).toEqual([1, 0, 1])
      expect(read.unlabelled).toBe(1)
      expect(read.rows.map((r) => r['x [1]'])).toEqual([1, 2, null])
      // a validation set read with the training classes: a class never trained on is -1
      const validation = await readTrainingRows(db, file, spec, ['b'])
      expect([...validation.targets]).toEqual([0, -1, 0])
    })
  })
})
