import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { expect, it } from 'vitest'
import { writeImageDataset, isImageDataset } from './image-dataset'
import { describeParquet } from './parquet'
import { readParquet } from './test-context'

it('writes image rows with typed columns, empty rows included', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'imgds-'))
  const path = join(dir, 'x.parquet')
  await writeImageDataset(path, [
    { image: 'a'.repeat(64), width: 4, height: 3, label: 'scratch', boxes: [{ label: 'scratch', x: 1, y: 1, w: 2, h: 1 }], _source_row: 3, _ops: ['flip'] },
    { image: 'b'.repeat(64), width: 4, height: 3, label: 'good' },
  ], { workDir: dir, extraColumns: { _source_row: 'BIGINT', _ops: 'VARCHAR[]' } })
  const { schema, rowCount } = await describeParquet(path)
  expect(rowCount).toBe(2)
  expect(isImageDataset(schema)).toBe(true)
  expect(schema.map((c) => c.type)).toEqual(['VARCHAR', 'INTEGER', 'INTEGER', 'VARCHAR', 'STRUCT("label" VARCHAR, x DOUBLE, y DOUBLE, w DOUBLE, h DOUBLE)[]', 'BIGINT', 'VARCHAR[]'])
  const rows = await readParquet(path)
  expect(rows[0]).toMatchObject({ label: 'scratch', boxes: [{ label: 'scratch', x: 1, y: 1, w: 2, h: 1 }], _source_row: 3, _ops: ['flip'] })
  expect(rows[1]).toMatchObject({ boxes: [], _source_row: null })
  const empty = join(dir, 'e.parquet')
  await writeImageDataset(empty, [], { workDir: dir })
  expect((await describeParquet(empty)).rowCount).toBe(0)
})
