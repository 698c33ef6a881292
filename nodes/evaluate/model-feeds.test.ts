import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { withDuckDB } from '../_lib/duckdb'
import type { Feature } from '../_lib/models/metadata'
import { writeParquet } from '../_lib/test-context'
import { datasetFeeds, type FeedBatch, type FeedOptions } from './model-feeds'

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'feeds-'))
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }))

const features: Feature[] = [
  { name: 'temp [°C]', kind: 'number' },
  { name: 'site "north"', kind: 'category', categories: ['a', 'b'] },
]

async function collect(file: string, options: Partial<FeedOptions> = {}, using: Feature[] = features): Promise<FeedBatch[]> {
  return withDuckDB(async (db) => {
    const batches: FeedBatch[] = []
    for await (const batch of datasetFeeds(db, file, using, { labelColumn: 'class', task: 'classification', batchRows: 4, ...options })) batches.push(batch)
    return batches
  })
}

describe('a held-out dataset as model inputs', () => {
  it('gives one [N, 1] tensor per feature, nulls as NaN and "", and the labels as text, in batches', async () => {
    const file = await writeParquet(
      path.join(dir, 'odd.parquet'),
      `SELECT * FROM (VALUES (1.5, 'a', 1, 'x'), (NULL, 'b', 2, 'y'), ('7' , NULL, 1, NULL), (2, 'c', NULL, 'x'), (3, 'a', 2, 'y'), (4, 'b', 1, 'x'))
         AS t("temp [°C]", "site ""north""", class, "segment col")`,
    )
    const batches = await collect(file, { segmentColumn: 'segment col' })
    expect(batches.map((b) => b.truth.length)).toEqual([4, 2])
    const [first] = batches
    expect(first!.feeds['temp [°C]']).toEqual({ type: 'float32', data: Float32Array.from([1.5, Number.NaN, 7, 2]), dims: [4, 1] })
    expect(first!.feeds['site "north"']).toEqual({ type: 'string', data: ['a', 'b', '', 'c'], dims: [4, 1] })
    expect(first!.truth).toEqual(['1', '2', '1', null])
    expect(first!.segments).toEqual(['x', 'y', '', 'x'])
  })

  it('reads a regression label as a number, text that is no number as null', async () => {
    const file = await writeParquet(path.join(dir, 'reg.parquet'), `SELECT * FROM (VALUES (1.0, 'a', '2.5'), (2.0, 'b', 'n/a')) AS t("temp [°C]", "site ""north""", class)`)
    const [batch] = await collect(file, { task: 'regression' })
    expect(batch!.truth).toEqual([2.5, null])
  })

  it('names the columns the model needs that the dataset lacks, and those it has', async () => {
    const file = await writeParquet(path.join(dir, 'short.parquet'), `SELECT 1 AS "temp [°C]", 'a' AS class`)
    await expect(collect(file)).rejects.toThrow('The dataset has no column "site \\"north\\"" the model needs; it has "temp [°C]", "class".')
  })

  it('streams many rows in full batches', async () => {
    const file = await writeParquet(path.join(dir, 'many.parquet'), `SELECT i::DOUBLE AS "temp [°C]", 'a' AS "site ""north""", (i % 3)::VARCHAR AS class FROM range(10000) t(i)`)
    const batches = await collect(file, { batchRows: 4096 })
    expect(batches.map((b) => b.truth.length)).toEqual([4096, 4096, 1808])
    expect((batches[2]!.feeds['temp [°C]']!.data as Float32Array)[1807]).toBe(9999)
  })

  it('fills batches across DuckDB chunks with nulls, long and non-ASCII texts in place', async () => {
    const file = await writeParquet(
      path.join(dir, 'across.parquet'),
      `SELECT CASE WHEN i % 97 = 0 THEN NULL ELSE i END::DOUBLE AS "temp [°C]",
              CASE WHEN i % 89 = 0 THEN NULL ELSE ['a', 'b', 'größer', 'a category longer than twelve bytes'][i % 4 + 1] END AS "site ""north""",
              CASE WHEN i % 83 = 0 THEN NULL ELSE (i % 3)::VARCHAR END AS class
         FROM range(7000) t(i)`,
    )
    const batches = await collect(file, { batchRows: 3000 })
    expect(batches.map((b) => b.truth.length)).toEqual([3000, 3000, 1000])
    const temps = batches.flatMap((b) => [...(b.feeds['temp [°C]']!.data as Float32Array)])
    const sites = batches.flatMap((b) => b.feeds['site "north"']!.data as string[])
    const truth = batches.flatMap((b) => b.truth)
    const rows = Array.from({ length: 7000 }, (_, i) => i)
    expect(temps).toEqual(rows.map((i) => (i % 97 === 0 ? Number.NaN : i)))
    expect(sites).toEqual(rows.map((i) => (i % 89 === 0 ? '' : ['a', 'b', 'größer', 'a category longer than twelve bytes'][i % 4])))
    expect(truth).toEqual(rows.map((i) => (i % 83 === 0 ? null : String(i % 3))))
  })

  it('loads images at their own size, as one uint8 tensor, and refuses a batch of mixed sizes', async () => {
    const file = await writeParquet(path.join(dir, 'images.parquet'), `SELECT * FROM (VALUES ('img-1', 'good'), ('img-2', 'dust')) AS t(image, label)`)
    const image: Feature = { name: 'image', kind: 'image', width: 2, height: 1 }
    const loadImage = async (id: string) => ({ data: new Uint8Array(2 * 1 * 3).fill(id === 'img-1' ? 10 : 20), width: 2, height: 1 })
    const [batch] = await collect(file, { labelColumn: 'label', loadImage }, [image])
    expect(batch!.feeds.image).toEqual({ type: 'uint8', data: Uint8Array.from([10, 10, 10, 10, 10, 10, 20, 20, 20, 20, 20, 20]), dims: [2, 1, 2, 3] })
    expect(batch!.truth).toEqual(['good', 'dust'])
    const mixed = async (id: string) => (id === 'img-1' ? { data: new Uint8Array(6), width: 2, height: 1 } : { data: new Uint8Array(3), width: 1, height: 1 })
    await expect(collect(file, { labelColumn: 'label', loadImage: mixed }, [image])).rejects.toThrow('Images of one batch differ in size (2×1 and 1×1)')
  })
})
