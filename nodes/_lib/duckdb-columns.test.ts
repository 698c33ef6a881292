import type { DuckDBDataChunk } from '@duckdb/node-api'
import { describe, expect, it } from 'vitest'
import { withDuckDB } from './duckdb'
import { readFloats, readNumbers, readsRaw, readTexts, TextCache } from './duckdb-columns'

/** The first chunk of a query, handed to `check` while its connection is open. */
async function firstChunk(sql: string, check: (chunk: DuckDBDataChunk) => void): Promise<void> {
  await withDuckDB(async (db) => {
    const chunk = await (await db.connection.stream(sql)).fetchChunk()
    check(chunk!)
  })
}

describe('reading DuckDB columns into typed arrays', () => {
  it('reads DOUBLE columns by their raw values, nulls as NaN (or null) in any 64-row word, from any row', async () => {
    await firstChunk(`SELECT CASE WHEN i % 67 = 5 OR i = 130 THEN NULL ELSE i / 4.0 END::DOUBLE AS "x [m]", 'NaN'::DOUBLE * (i = 3)::INT AS y FROM range(300) t(i)`, (chunk) => {
      const vector = chunk.getColumnVector(0)
      expect(readsRaw(vector)).toBe(true)
      const expected = Array.from({ length: 300 }, (_, i) => vector.getItem(i) as number | null)
      expect(expected.filter((v) => v === null)).toHaveLength(6)
      const floats = new Float32Array(300)
      readFloats(vector, 0, 100, floats, 0)
      readFloats(vector, 100, 200, floats, 100)
      expect([...floats]).toEqual(expected.map((v) => (v === null ? Number.NaN : Math.fround(v))))
      const numbers = new Array<number | null>(290)
      readNumbers(vector, 10, 290, numbers, 0)
      expect(numbers).toEqual(expected.slice(10))
      const nan = new Float32Array(1)
      readFloats(chunk.getColumnVector(1), 3, 1, nan, 0)
      expect(nan[0]).toBeNaN()
    })
  })

  it('reads VARCHAR columns as node-api does: short and long, ASCII and not, nulls as the given value, many values past the cache', async () => {
    await firstChunk(
      `SELECT CASE WHEN i % 70 = 1 THEN NULL ELSE ['red', '', 'grün', 'twelve bytes', 'thirteen byte', 'a much longer category name', 'ひらがな'][i % 7 + 1] END AS "colour (main)",
              'id-' || i AS id
         FROM range(2000) t(i)`,
      (chunk) => {
        for (const column of [0, 1]) {
          const vector = chunk.getColumnVector(column)
          expect(readsRaw(vector)).toBe(true)
          const expected = Array.from({ length: vector.itemCount }, (_, i) => vector.getItem(i) as string | null)
          const cache = new TextCache()
          const texts = new Array<string | null>(vector.itemCount)
          readTexts(vector, 0, 1000, texts, 0, null, cache)
          readTexts(vector, 1000, vector.itemCount - 1000, texts, 1000, null, cache)
          expect(texts).toEqual(expected)
          const blanks = new Array<string>(5)
          readTexts(vector, 0, 5, blanks, 0, '', cache)
          expect(blanks).toEqual(expected.slice(0, 5).map((v) => v ?? ''))
        }
      },
    )
  })

  it('falls back to getItem for other types', async () => {
    await firstChunk(`SELECT * FROM (VALUES (1::INTEGER, 7), (NULL, 8)) t(n, s)`, (chunk) => {
      const vector = chunk.getColumnVector(0)
      expect(readsRaw(vector)).toBe(false)
      const floats = new Float32Array(2)
      readFloats(vector, 0, 2, floats, 0)
      expect([...floats]).toEqual([1, Number.NaN])
      const texts = new Array<string>(2)
      readTexts(chunk.getColumnVector(1), 0, 2, texts, 0, '', new TextCache())
      expect(texts).toEqual(['7', '8'])
    })
  })
})
