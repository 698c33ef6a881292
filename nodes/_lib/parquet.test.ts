import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { withDuckDB } from './duckdb'
import { profileParquet } from './parquet'

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pw-parquet-'))
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }))

async function writeParquet(name: string, selectSql: string): Promise<string> {
  const file = path.join(dir, name)
  await withDuckDB((db) => db.exec(`COPY (${selectSql}) TO '${file}' (FORMAT parquet)`))
  return file
}

describe('profiling a dataset for its preview', () => {
  it('profiles a dataset whose only column is text (one top-values query, no UNION)', async () => {
    const file = await writeParquet('one-text.parquet', `SELECT * FROM (VALUES ('a'), ('b'), ('a'), (NULL)) AS t("species [name]")`)
    const profile = await profileParquet(file)
    expect(profile.rowCount).toBe(4)
    expect(profile.columns).toHaveLength(1)
    expect(profile.columns[0]!.topValues).toEqual([
      { value: 'a', count: 2 },
      { value: 'b', count: 1 },
    ])
    expect(profile.columns[0]!.nulls).toBe(1)
  })

  it('profiles one boolean column and one text column together', async () => {
    const file = await writeParquet('two.parquet', `SELECT * FROM (VALUES (true, 'x'), (false, 'x'), (true, NULL)) AS t("ok?", "label")`)
    const profile = await profileParquet(file)
    expect(profile.columns.map((c) => c.topValues?.[0])).toEqual([
      { value: true, count: 2 },
      { value: 'x', count: 2 },
    ])
  })
})
