import { copyFile } from 'node:fs/promises'
import { join } from 'node:path'
import { StepError, type Executor } from '../contract'
import { duckdbMessage, quoteIdent, quoteLiteral, withDuckDB, type DuckSession, type JsonValue } from '../_lib/duckdb'
import { describeParquet } from '../_lib/parquet'
import { assertColumnsExist, compileStats, compileValidation, type CompiledCheck, type CompiledValidation } from './compile'
import { quarantineColumns, validate, type ValidateConfig, type ValidationReport } from './definition'

const exampleCount = 5
const checkedTable = 'pw_checked'
const failingTable = 'pw_failing'

export const run: Executor<typeof validate> = async (ctx) => {
  const { config, inputs, outputs, log, progress, signal } = ctx
  const input = inputs.dataset
  progress(0, 'Reading the schema')

  const report = await withDuckDB(
    async (db) => {
      const { schema, rowCount } = await describeParquet(input.path, db)
      assertColumnsExist(config, schema)
      await assertPatternsCompile(db, config)

      const statsPlan = compileStats(input.path, schema, config.rules)
      const stats = statsPlan ? statsPlan.parse((await db.one(statsPlan.sql)) ?? {}) : new Map()
      progress(0.15, 'Checking rows')

      const compiled = compileValidation(input.path, schema, config, stats)
      const { checks, rowNumber } = compiled
      const rn = quoteIdent(rowNumber)
      const anyFailed =
        checks.length === 0 ? 'FALSE' : `coalesce(${checks.map((c) => quoteIdent(c.alias)).join(', ')}) IS NOT NULL`
      const rows = rowsOf(input.path, schema, compiled, anyFailed)
      await db.exec(rows.prepare)
      progress(0.6, 'Counting')

      const counts =
        (await db.one(
          `SELECT count(*) AS bad` + checks.map((c, i) => `, count(${quoteIdent(c.alias)}) AS f${i}`).join('') + ` FROM ${failingTable}`,
        )) ?? {}
      const totalRows = rowCount
      const quarantinedRows = Number(counts.bad ?? 0)
      const failed = checks.map((_, i) => Number(counts[`f${i}`] ?? 0))
      const examples = await firstExamples(db, checks, failed, rn)

      const report = buildReport(config, schema, checks, stats, failed, examples, totalRows, quarantinedRows)

      if (config.mode === 'fail' && quarantinedRows > 0) {
        throw new StepError(failureSummary(quarantinedRows, checks, failed, examples))
      }

      progress(0.7, 'Writing clean rows')
      const cleanPath = outputs.datasetPath('clean')
      if (quarantinedRows === 0) {
        // nothing to remove: the clean dataset is the input, byte for byte (and so the same artifact)
        await copyFile(input.path, cleanPath)
      } else {
        await db.exec(`COPY (${rows.clean}) TO ${quoteLiteral(cleanPath)} (FORMAT parquet)`)
      }
      progress(0.85, 'Writing quarantined rows')

      const replaced = schema.filter((c) => c.name === quarantineColumns.row || c.name === quarantineColumns.reasons)
      if (replaced.length > 0) {
        log('warn', `The input already has ${replaced.map((c) => `"${c.name}"`).join(' and ')}; in quarantine they are replaced by this step's own.`)
      }
      const kept = schema.filter((c) => !replaced.includes(c)).map((c) => `, ${rows.quarantineSource}.${quoteIdent(c.name)}`).join('')
      const reasonList =
        checks.length === 0
          ? `CAST([] AS VARCHAR[])`
          : `list_filter([${checks.map((c) => `f.${quoteIdent(c.alias)}`).join(', ')}], lambda r: r IS NOT NULL)`
      await db.exec(
        `COPY (SELECT f.${rn} + 1 AS ${quoteIdent(quarantineColumns.row)}, ${reasonList} AS ${quoteIdent(quarantineColumns.reasons)}${kept} ` +
          `FROM ${rows.quarantineFrom} ORDER BY f.${rn}) TO ${quoteLiteral(outputs.datasetPath('quarantine'))} (FORMAT parquet)`,
      )
      return report
    },
    { signal, tempDirectory: join(ctx.workDir, 'duckdb-tmp') },
  )

  await outputs.report('report', report)
  const broken = report.rules.filter((r) => r.failedRows > 0).length + report.schema.filter((s) => s.failedRows > 0).length
  log(
    'info',
    `Checked ${report.totalRows} rows: ${report.cleanRows} clean, ${report.quarantinedRows} quarantined` +
      (broken > 0 ? ` (${broken} ${broken === 1 ? 'check' : 'checks'} failed)` : ''),
  )
  for (const entry of [...report.schema.map((s) => ({ what: `${s.name} type ${s.expectedType}`, ...s })), ...report.rules.map((r) => ({ what: `${r.column} ${r.description}`, ...r }))]) {
    if (entry.failedRows > 0) {
      log('info', `${entry.what}: ${entry.failedRows} ${entry.failedRows === 1 ? 'row' : 'rows'}, e.g. ${entry.examples.map((e) => JSON.stringify(e)).join(', ')}`)
    }
  }
  progress(1, 'Done')
}

interface RowQueries {
  /** SQL that materialises the failing rows as `pw_failing` (row number, checked columns, reasons) */
  prepare: string
  /** the clean rows, in input order */
  clean: string
  /** FROM clause joining failing rows (`f`) to their full input rows */
  quarantineFrom: string
  quarantineSource: string
}

/**
 * Only the failing rows are kept in memory: the checks scan just the columns they name, and the
 * clean output streams straight from the input minus those row numbers. When the input has its own
 * `file_row_number` column, DuckDB cannot number the rows for us, so every row is materialised once.
 */
function rowsOf(inputPath: string, schema: { name: string }[], compiled: CompiledValidation, anyFailed: string): RowQueries {
  const rn = quoteIdent(compiled.rowNumber)
  const original = schema.map((c) => quoteIdent(c.name)).join(', ')
  if (compiled.numbersFromFile) {
    const input = `read_parquet(${quoteLiteral(inputPath)}, file_row_number = true)`
    return {
      prepare: `CREATE TEMP TABLE ${failingTable} AS SELECT * FROM (${compiled.select}) AS t WHERE ${anyFailed}`,
      clean: `SELECT ${original} FROM ${input} WHERE file_row_number NOT IN (SELECT ${rn} FROM ${failingTable}) ORDER BY file_row_number`,
      quarantineFrom: `${failingTable} AS f`,
      quarantineSource: 'f',
    }
  }
  return {
    prepare:
      `CREATE TEMP TABLE ${checkedTable} AS ${compiled.select}; ` +
      `CREATE TEMP VIEW ${failingTable} AS SELECT * FROM ${checkedTable} WHERE ${anyFailed}`,
    clean: `SELECT ${original} FROM ${checkedTable} WHERE NOT (${anyFailed}) ORDER BY ${rn}`,
    quarantineFrom: `${failingTable} AS f`,
    quarantineSource: 'f',
  }
}

/** Regular expressions are RE2; a pattern DuckDB cannot compile gets a clear message before any scan. */
async function assertPatternsCompile(db: DuckSession, config: ValidateConfig): Promise<void> {
  for (const [i, rule] of config.rules.entries()) {
    if (rule.rule !== 'regex') continue
    try {
      await db.exec(`SELECT regexp_full_match('', ${quoteLiteral(rule.pattern)})`)
    } catch (error) {
      db.checkAborted()
      throw new StepError(
        `Rule ${i + 1} (${rule.column} regex): ${JSON.stringify(rule.pattern)} is not a valid regular expression: ${duckdbMessage(error)}`,
      )
    }
  }
}

/** The first offending values of each failed check, in row order. */
async function firstExamples(db: DuckSession, checks: CompiledCheck[], failed: number[], rn: string): Promise<JsonValue[][]> {
  const examples: JsonValue[][] = checks.map(() => [])
  const parts = checks.flatMap((check, i) =>
    failed[i]! > 0
      ? [
          `(SELECT ${i} AS k, to_json(${quoteIdent(check.column)})::VARCHAR AS v, ${rn} AS rn FROM ${failingTable} ` +
            `WHERE ${quoteIdent(check.alias)} IS NOT NULL ORDER BY ${rn} LIMIT ${exampleCount})`,
        ]
      : [],
  )
  if (parts.length === 0) return examples
  for (const row of await db.rows(`SELECT k, v FROM (${parts.join(' UNION ALL ')}) ORDER BY k, rn`)) {
    examples[Number(row.k)]?.push(parseJson(row.v))
  }
  return examples
}

function parseJson(value: JsonValue | undefined): JsonValue {
  if (typeof value !== 'string') return value ?? null
  try {
    return JSON.parse(value) as JsonValue
  } catch {
    return value // NaN and Infinity are not JSON: keep DuckDB's text
  }
}

function buildReport(
  config: ValidateConfig,
  schema: { name: string; type: string }[],
  checks: CompiledCheck[],
  stats: Map<number, Record<string, number | null>>,
  failed: number[],
  examples: JsonValue[][],
  totalRows: number,
  quarantinedRows: number,
): ValidationReport {
  const find = (source: CompiledCheck['source'], index: number) => checks.findIndex((c) => c.source === source && c.index === index)
  return {
    totalRows,
    cleanRows: totalRows - quarantinedRows,
    quarantinedRows,
    mode: config.mode,
    passed: quarantinedRows === 0,
    rules: config.rules.map((rule, index) => {
      const at = find('rule', index)
      const { column, rule: kind, ...params } = rule
      const ruleStats = stats.get(index)
      return {
        column,
        rule: kind,
        params,
        description: checks[at]?.description ?? kind,
        failedRows: at >= 0 ? failed[at]! : 0,
        examples: at >= 0 ? examples[at]! : [],
        ...(ruleStats ? { stats: ruleStats } : {}),
      }
    }),
    schema: (config.columns ?? []).map((expectation, index) => {
      const at = find('schema', index)
      const actual = schema.find((c) => c.name === expectation.name)
      const failedRows = at >= 0 ? failed[at]! : 0
      return {
        name: expectation.name,
        expectedType: expectation.type ?? null,
        actualType: actual?.type ?? null,
        present: actual !== undefined,
        required: expectation.required,
        failedRows,
        examples: at >= 0 ? examples[at]! : [],
        ok: (actual !== undefined || !expectation.required) && failedRows === 0,
      }
    }),
    columns: schema.map((c) => ({ name: c.name, type: c.type })),
  }
}

function failureSummary(bad: number, checks: CompiledCheck[], failed: number[], examples: JsonValue[][]): string {
  const broken = checks
    .map((check, i) => ({ check, n: failed[i]!, example: examples[i]?.[0] }))
    .filter((b) => b.n > 0)
  const parts = broken.map(
    ({ check, n, example }) =>
      `${check.column} ${check.description} (${n} ${n === 1 ? 'row' : 'rows'}${example !== undefined ? `, e.g. ${JSON.stringify(example)}` : ''})`,
  )
  return (
    `${bad} ${bad === 1 ? 'row' : 'rows'} broke ${broken.length} ${broken.length === 1 ? 'rule' : 'rules'}: ${parts.join(', ')}. ` +
    `Fix the data, or set mode to 'quarantine' to set such rows aside.`
  )
}
