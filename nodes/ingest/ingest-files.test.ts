import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { gzipSync } from 'node:zlib'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { StepError } from '../contract'
import { writeParquet } from '../_lib/test-context'
import { describeParquet } from '../_lib/parquet'
import { run } from './run'
import { useIngestKit } from './test-kit'

const { ingestUpload, ingestOk, ingestError, tempDir } = useIngestKit()

describe('ingest formats', () => {
  it('reads CSV, keeping header names exactly', async () => {
    const { rows, schema, rowCount, t } = await ingestOk(
      'weird.csv',
      'temp [°C],Device ID,"a ""quoted"" col",reading (raw)\n21.5,dev-1,x,12\n22.0,dev-2,,ERR\n',
    )
    expect(rowCount).toBe(2)
    expect(schema).toEqual([
      { name: 'temp [°C]', type: 'DOUBLE' },
      { name: 'Device ID', type: 'VARCHAR' },
      { name: 'a "quoted" col', type: 'VARCHAR' },
      { name: 'reading (raw)', type: 'VARCHAR' },
    ])
    expect(rows).toEqual([
      { 'temp [°C]': 21.5, 'Device ID': 'dev-1', 'a "quoted" col': 'x', 'reading (raw)': '12' },
      { 'temp [°C]': 22, 'Device ID': 'dev-2', 'a "quoted" col': null, 'reading (raw)': 'ERR' },
    ])
    expect(t.logs.map((l) => l.message)).toContain('Read 2 rows and 4 columns')
    expect(t.logs.some((l) => l.message.startsWith('Schema: temp [°C] DOUBLE, Device ID VARCHAR'))).toBe(true)
    expect(t.progress.at(-1)).toEqual({ fraction: 1, message: 'Done' })
  })

  it('reads TSV', async () => {
    const { rows } = await ingestOk('data.tsv', 'name\tscore\tnote\nann\t1.5\thas, comma\nbob\t2\t\n')
    expect(rows).toEqual([
      { name: 'ann', score: 1.5, note: 'has, comma' },
      { name: 'bob', score: 2, note: null },
    ])
  })

  it('reads Parquet', async () => {
    const source = await writeParquet(join(tempDir(), 'in.parquet'), `SELECT range AS id, 'r' || range AS "Row Name" FROM range(5)`)
    const { rows, schema } = await ingestOk('in.parquet', await readFile(source))
    expect(schema).toEqual([
      { name: 'id', type: 'BIGINT' },
      { name: 'Row Name', type: 'VARCHAR' },
    ])
    expect(rows.map((r) => r.id)).toEqual([0, 1, 2, 3, 4])
  })

  it('reads a JSON array of objects', async () => {
    const { rows, schema } = await ingestOk('data.json', JSON.stringify([{ a: 1, b: 'x' }, { a: 2, b: null, c: true }]))
    expect(schema.map((c) => c.name)).toEqual(['a', 'b', 'c'])
    expect(rows).toEqual([
      { a: 1, b: 'x', c: null },
      { a: 2, b: null, c: true },
    ])
  })

  it('reads NDJSON (.ndjson and .jsonl)', async () => {
    const content = '{"id":1,"tag":"a"}\n{"id":2,"tag":"b"}\n\n{"id":3}\n'
    for (const name of ['data.ndjson', 'data.jsonl']) {
      const { rows } = await ingestOk(name, content)
      expect(rows).toEqual([
        { id: 1, tag: 'a' },
        { id: 2, tag: 'b' },
        { id: 3, tag: null },
      ])
    }
  })

  it('keeps JSON keys that first appear late, and values whose type changes late', async () => {
    const lines = Array.from({ length: 25_000 }, (_, i) => JSON.stringify({ a: i }))
    lines.push(JSON.stringify({ a: 'oops', late: true }))
    const { rows, schema } = await ingestOk('late.ndjson', lines.join('\n'))
    expect(schema.map((c) => c.name)).toEqual(['a', 'late'])
    expect(rows).toHaveLength(25_001)
    expect(schema).toEqual([
      { name: 'a', type: 'VARCHAR' },
      { name: 'late', type: 'BOOLEAN' },
    ])
    expect(rows[0]).toEqual({ a: '0', late: null })
    expect(rows.at(-1)).toEqual({ a: 'oops', late: true })
  })

  it('reads gzip-compressed files', async () => {
    const { rows } = await ingestOk('data.csv.gz', gzipSync('x,y\n1,2\n3,4\n'))
    expect(rows).toEqual([
      { x: 1, y: 2 },
      { x: 3, y: 4 },
    ])
  })

  it('detects whether a CSV has a header', async () => {
    const { rows } = await ingestOk('numbers.csv', '1,2\n3,4\n')
    expect(rows).toEqual([
      { column0: 1, column1: 2 },
      { column0: 3, column1: 4 },
    ])
  })

  it('uses the configured format over the file name, and says when the name tells nothing', async () => {
    const { rows } = await ingestOk('export.txt', 'a;b\n1;2\n', { format: 'csv' })
    expect(rows).toEqual([{ a: 1, b: 2 }])
    expect(await ingestError('export.txt', 'a,b\n1,2\n')).toBe(
      'Cannot tell the format of "export.txt" from its name; set the source\'s format to one of csv, tsv, parquet, json, ndjson.',
    )
    expect(await ingestError(null, 'a,b\n1,2\n')).toMatch(/^Cannot tell the format of upload [0-9a-f]{12}… from its name/)
  })

  it('reads a column as text when a value deep in the file does not fit the guessed type', async () => {
    const lines = ['n,label', ...Array.from({ length: 30_000 }, (_, i) => `${i},x`), 'unknown,y', '7,z']
    const { rows, schema, t } = await ingestOk('late.csv', lines.join('\n') + '\n')
    expect(schema).toEqual([
      { name: 'n', type: 'VARCHAR' },
      { name: 'label', type: 'VARCHAR' },
    ])
    expect(rows).toHaveLength(30_002)
    expect(rows[30_000]).toEqual({ n: 'unknown', label: 'y' })
    expect(t.logs.some((l) => l.message.includes('Column "n" holds values that are not of type BIGINT (first on line 30002)'))).toBe(true)
  })
})

describe('ingest missing values', () => {
  it('reads the usual missing-value markers (NA, N/A, NULL, NaN, #N/A, empty) as null, keeping the column numeric', async () => {
    const { rows, schema } = await ingestOk('na.csv', 'x,label\n1,a\nNA,b\nN/A,c\n#N/A,d\nNaN,e\n,f\n2,g\n')
    expect(schema[0]).toEqual({ name: 'x', type: 'BIGINT' })
    expect(rows.map((r) => r.x)).toEqual([1, null, null, null, null, null, 2])
  })

  it('keeps every cell as written when nullValues is empty', async () => {
    const { rows, schema } = await ingestOk('na.csv', 'x\n1\nNA\n', { nullValues: [] })
    expect(schema[0]).toEqual({ name: 'x', type: 'VARCHAR' })
    expect(rows.map((r) => r.x)).toEqual(['1', 'NA'])
  })
})

describe('ingest bad input', () => {
  const ragged = Buffer.concat([
    Buffer.from('id,name,score\n1,ann,3\n2,bob\n3,cy,4,extra\n4,'),
    Buffer.from([0xff, 0xfe, 0x41]),
    Buffer.from(',5\n5,eve,6\n'),
  ])

  it("fails on ragged rows and invalid UTF-8, naming the lines, when badRows is 'fail'", async () => {
    expect(await ingestError('ragged.csv', ragged)).toBe(
      '3 rows of "ragged.csv" could not be read: line 3: expected 3 fields, found 2; line 4: expected 3 fields, found 4; ' +
        'line 5: invalid UTF-8 (column "name"). The file is not entirely UTF-8: save it as UTF-8. ' +
        "Fix the file, or set badRows to 'skip' to drop such rows.",
    )
  })

  it("drops them with a warning when badRows is 'skip'", async () => {
    const { rows, t } = await ingestOk('ragged.csv', ragged, { badRows: 'skip' })
    expect(rows).toEqual([
      { id: 1, name: 'ann', score: 3 },
      { id: 5, name: 'eve', score: 6 },
    ])
    const warning = t.logs.find((l) => l.level === 'warn')
    expect(warning?.message).toMatch(/^Skipped 3 rows of "ragged.csv" that could not be read: line 3: expected 3 fields, found 2; /)
    expect(t.logs.map((l) => l.message)).toContain('Read 2 rows and 3 columns (3 unreadable skipped)')
  })

  it('a file with only unreadable rows fails even when skipping', async () => {
    const message = await ingestError('all-bad.csv', 'a,b,c\n1\n2\n', { badRows: 'skip' })
    expect(message).toBe('No rows of "all-bad.csv" could be read: all 2 were skipped as unreadable.')
  })

  it('NDJSON: broken lines fail with their line numbers, or are skipped', async () => {
    const content = Buffer.concat([Buffer.from('{"a":1}\n{"a":2\n[1,2]\n{"a":'), Buffer.from([0xc3, 0x28]), Buffer.from('}\n{"a":5}\n')])
    expect(await ingestError('broken.ndjson', content)).toMatch(
      /^3 rows of "broken.ndjson" could not be read: line 2: invalid JSON \(.+\); line 3: expected a JSON object; line 4: invalid UTF-8\. The file is not entirely UTF-8: save it as UTF-8\. Fix the file, or set badRows to 'skip'/,
    )
    const { rows } = await ingestOk('broken.ndjson', content, { badRows: 'skip' })
    expect(rows).toEqual([{ a: 1 }, { a: 5 }])
  })

  it('an empty file, a blank file and a header without rows are clear errors', async () => {
    expect(await ingestError('empty.csv', '')).toBe('"empty.csv" is empty.')
    expect(await ingestError('blank.json', '  \n\n')).toBe('"blank.json" is empty: it holds only blank space.')
    expect(await ingestError('header.csv', 'a,b\n')).toBe('"header.csv" has a header (a, b) but no data rows.')
    expect(await ingestError('none.json', '[]')).toBe('"none.json" contains no rows.')
  })

  it('a file that is not what its format says is a clear error', async () => {
    expect(await ingestError('fake.parquet', 'a,b\n1,2\n')).toMatch(/^"fake.parquet" is not a readable Parquet file: /)
    expect(await ingestError('fake.json', 'a,b\n1,2\n')).toMatch(/^Could not read "fake.json" as JSON: Malformed JSON/)
    const parquet = await writeParquet(join(tempDir(), 'real.parquet'), `SELECT 1 AS a`)
    const bytes = await readFile(parquet)
    expect(await ingestError('mislabelled.csv', bytes)).toBe('"mislabelled.csv" is a Parquet file, not CSV; set the source\'s format to parquet.')
  })

  it('a header that is not UTF-8 is a clear error', async () => {
    const content = Buffer.concat([Buffer.from('a,b'), Buffer.from([0xff]), Buffer.from('\n1,2\n')])
    expect(await ingestError('latin1.csv', content)).toBe('Line 1 (the header) of "latin1.csv" is not valid UTF-8: save the file as UTF-8.')
  })

  it('NDJSON with no readable line fails even when skipping', async () => {
    expect(await ingestError('none.ndjson', '{oops\n[1]\n', { badRows: 'skip' })).toBe(
      'No rows of "none.ndjson" could be read: all 2 were skipped as unreadable.',
    )
  })

  it('ragged, badly quoted or non-UTF-8 CSV either reads or fails with a StepError (property)', async () => {
    const field = fc.oneof(
      fc.string({ maxLength: 6 }),
      fc.integer().map(String),
      fc.constantFrom('"', '""', '"a,b"', '\r', 'é', ''),
      fc.uint8Array({ minLength: 1, maxLength: 3 }).map((b) => Buffer.from(b).toString('latin1')),
    )
    const line = fc.array(field, { minLength: 1, maxLength: 5 }).map((fields) => fields.join(','))
    await fc.assert(
      fc.asyncProperty(fc.array(line, { minLength: 1, maxLength: 12 }), fc.constantFrom('fail', 'skip'), async (lines, badRows) => {
        const bytes = Buffer.from(['h1,h2,h3', ...lines].join('\n') + '\n', 'latin1')
        const t = await ingestUpload('random.csv', bytes, { badRows: badRows as 'fail' | 'skip' })
        const outcome = await run(t.ctx).then(
          () => 'ok',
          (e: unknown) => e,
        )
        if (outcome !== 'ok') expect(outcome).toBeInstanceOf(StepError)
        else expect((await describeParquet(t.outputs.dataset!)).rowCount).toBeGreaterThan(0)
      }),
      { numRuns: 40 },
    )
  })

  it('never crashes on random bytes', async () => {
    const junk = Buffer.from(Array.from({ length: 5000 }, (_, i) => (i * 7919 + 13) % 256))
    for (const [name, badRows] of ['csv', 'tsv', 'json', 'ndjson', 'parquet'].flatMap((ext) => [
      [`junk.${ext}`, 'fail'] as const,
      [`junk.${ext}`, 'skip'] as const,
    ])) {
      const t = await ingestUpload(name, junk, { badRows })
      const outcome = await run(t.ctx).then(
        () => 'ok',
        (e: unknown) => e,
      )
      if (outcome !== 'ok') {
        expect(outcome, name).toBeInstanceOf(StepError)
        expect((outcome as Error).message, name).not.toContain(tempDir())
      }
    }
  })
})
