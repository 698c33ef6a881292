import { existsSync } from 'node:fs'
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { withDuckDB } from '../_lib/duckdb'
import { sandboxRules } from './definition'
import { useTransformKit } from './test-kit'

const { dataset, transformRun, transformFails, tempDir } = useTransformKit()

const table = `SELECT * FROM (VALUES (1, 'Adelie', 39.1), (2, NULL, NULL), (3, 'Gentoo', 46.5)) t(id, "species [name]", "bill ""len""")`

describe('SQL mode', () => {
  it('runs one SELECT over the table input, odd column names and NULLs included', async () => {
    const input = await dataset(table)
    const { rows } = await transformRun(input, {
      sql: `SELECT id, upper("species [name]") AS "Species!", "bill ""len""" * 2 AS twice FROM input WHERE id <> 3 ORDER BY id DESC;`,
    })
    expect(rows).toEqual([
      { id: 2, 'Species!': null, twice: null },
      { id: 1, 'Species!': 'ADELIE', twice: 78.2 },
    ])
  })

  it('accepts WITH … SELECT and a trailing line comment', async () => {
    const input = await dataset(table)
    const { rows } = await transformRun(input, { sql: 'WITH a AS (SELECT id FROM input) SELECT count(*) AS n FROM a -- all rows' })
    expect(rows).toEqual([{ n: 3 }])
  })

  it('refuses reading a file: read_csv, read_text and glob', async () => {
    const input = await dataset(table)
    for (const sql of [`SELECT * FROM read_csv('/etc/passwd')`, `SELECT * FROM read_text('/etc/hostname')`, `SELECT * FROM glob('/etc/*')`]) {
      const error = await transformFails(input, { sql })
      expect(error.message).toMatch(/^The query is not allowed: Cannot access file "\/etc\/[^"]+" - file system operations are disabled by configuration\./)
      expect(error.message).toContain(sandboxRules)
    }
  })

  it('refuses COPY … TO and writes no file', async () => {
    const input = await dataset(table)
    const target = join(tempDir(), 'stolen.csv')
    for (const sql of [`COPY input TO '${target}'`, `COPY (SELECT * FROM input) TO '${target}' (FORMAT csv)`]) {
      const error = await transformFails(input, { sql })
      expect(error.message).toBe(`The SQL must be one SELECT statement (WITH … SELECT is fine), not COPY. ${sandboxRules}`)
    }
    expect(existsSync(target)).toBe(false)
  })

  it('refuses ATTACH, INSTALL, LOAD, SET, PRAGMA and other statements', async () => {
    const input = await dataset(table)
    const cases: [string, string][] = [
      [`ATTACH '${join(tempDir(), 'x.db')}' AS x`, 'ATTACH'],
      ['INSTALL httpfs', 'INSTALL'],
      ['LOAD httpfs', 'LOAD'],
      ['SET enable_external_access = true', 'SET'],
      ['PRAGMA version', 'PRAGMA'],
      ['CREATE TABLE t AS SELECT 1', 'CREATE'],
      ['EXPLAIN SELECT 1', 'EXPLAIN'],
    ]
    for (const [sql, word] of cases) {
      const error = await transformFails(input, { sql })
      expect(error.message, sql).toBe(`The SQL must be one SELECT statement (WITH … SELECT is fine), not ${word}. ${sandboxRules}`)
    }
    expect(existsSync(join(tempDir(), 'x.db'))).toBe(false)
  })

  it('refuses two statements, even two SELECTs', async () => {
    const input = await dataset(table)
    expect((await transformFails(input, { sql: 'SELECT 1; SELECT 2' })).message).toBe(
      'The SQL must be exactly one SELECT statement; this is 2 statements.',
    )
    expect((await transformFails(input, { sql: `SELECT 1; COPY input TO '/tmp/x.csv'` })).message).toMatch(/^The SQL must be one SELECT statement/)
  })

  it('a SELECT cannot switch the sandbox off from inside either', async () => {
    const input = await dataset(table)
    const error = await transformFails(input, { sql: `SELECT * FROM input, (SELECT set_config('enable_external_access', 'true'))` })
    expect(error.message).toMatch(/^The query (is not allowed|failed): /)
  })

  it('an unknown column or a syntax error is a clear message', async () => {
    const input = await dataset(table)
    const column = await transformFails(input, { sql: 'SELECT speceis FROM input' })
    expect(column.message).toMatch(/^The query failed: Referenced column "speceis" not found in FROM clause!/)
    const syntax = await transformFails(input, { sql: 'SELECT *\nFORM input' })
    expect(syntax.message).toBe('The SQL does not parse: syntax error at or near "input" (line 2, character 6)\nFORM input\n     ^')
    const table2 = await transformFails(input, { sql: 'SELECT * FROM secrets' })
    expect(table2.message).toMatch(/^The query failed: Table with name secrets does not exist!/)
  })

  it('leaves the shared DuckDB instance as it was', async () => {
    const input = await dataset(table)
    await transformRun(input, { sql: 'SELECT * FROM input' })
    const settings = await withDuckDB((db) =>
      db.rows(`SELECT name, value FROM duckdb_settings() WHERE name IN ('enable_external_access', 'lock_configuration')`),
    )
    expect(Object.fromEntries(settings.map((s) => [s.name, s.value]))).toEqual({ enable_external_access: 'true', lock_configuration: 'false' })
    // and it still reads files
    expect((await readFile(input)).length).toBeGreaterThan(0)
    await withDuckDB((db) => db.rows(`SELECT count(*) FROM read_parquet('${input}')`))
  })
})
