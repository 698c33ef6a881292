import { copyFile } from 'node:fs/promises'
import { join } from 'node:path'
import { StepError, type DatasetColumn, type Executor } from '../contract'
import { duckdbMessage, quoteIdent, quoteLiteral, withDuckDB, type DuckSession } from '../_lib/duckdb'
import { describeParquet } from '../_lib/parquet'
import { chainSql, compileStep, stepRelation, withClause, type CompiledStep } from './compile'
import { transform, type TransformStep } from './definition'
import type { ColumnHistory } from './scope'
import { runSandboxedSelect } from './sql-mode'

export const run: Executor<typeof transform> = async (ctx) => {
  const { config, inputs, outputs, log, progress, signal } = ctx
  const input = inputs.dataset
  const output = outputs.datasetPath('dataset')
  const tempDirectory = join(ctx.workDir, 'duckdb-tmp')

  if (config.sql !== undefined) {
    progress(0, 'Checking the query')
    const rows = await runSandboxedSelect(config.sql, { inputPath: input.path, outputPath: output, tempDirectory, signal })
    log('info', `The query returned ${rows} ${rows === 1 ? 'row' : 'rows'} from ${input.rowCount ?? '?'} input rows`)
    progress(1, 'Done')
    return
  }

  if (config.steps.length === 0) {
    // nothing to do: the output is the input, byte for byte (and so the same artifact)
    await copyFile(input.path, output)
    log('info', 'No steps: the dataset passes through unchanged')
    progress(1, 'Done')
    return
  }

  const rows = await withDuckDB(
    async (db) => {
      const { schema } = await describeParquet(input.path, db)
      const source = `read_parquet(${quoteLiteral(input.path)})`
      const compiled = await compileAll(db, config.steps, schema, source, (i) =>
        progress((0.5 * i) / config.steps.length, `Preparing step ${i + 1} of ${config.steps.length}`),
      )
      progress(0.5, 'Writing the result')
      const sql = chainSql(source, compiled)
      log('debug', sql)
      try {
        await db.exec(`COPY (${sql}) TO ${quoteLiteral(output)} (FORMAT parquet)`)
      } catch (error) {
        db.checkAborted()
        throw runtimeError(error)
      }
      return (await describeParquet(output, db)).rowCount
    },
    { signal, tempDirectory },
  )
  log('info', `${config.steps.length} ${config.steps.length === 1 ? 'step' : 'steps'}: ${input.rowCount ?? '?'} rows in, ${rows} out`)
  progress(1, 'Done')
}

/**
 * Compiles the steps one at a time: each sees the exact columns and types DuckDB gives the step
 * before it (DESCRIBE binds the query without reading data), and the statistics it needs are
 * computed over that step's input first, so the final query has them as constants.
 */
async function compileAll(
  db: DuckSession,
  steps: TransformStep[],
  schema: DatasetColumn[],
  source: string,
  onStep: (index: number) => void,
): Promise<CompiledStep[]> {
  const compiled: CompiledStep[] = []
  let columns = schema
  let history: ColumnHistory = new Map()
  for (const [index, step] of steps.entries()) {
    onStep(index)
    const from = stepRelationOr(source, index)
    const stepInput = { index, step, columns, history, from }
    const probe = compileStep(stepInput)
    const values = probe.statistics.length > 0 ? await statistics(db, source, compiled, probe, index, step) : undefined
    const result = values ? compileStep(stepInput, values) : probe
    compiled.push(result)
    columns = await describeStep(db, source, compiled, index, step)
    history = result.history
  }
  return compiled
}

async function statistics(db: DuckSession, source: string, before: CompiledStep[], step: CompiledStep, index: number, config: TransformStep) {
  // aggregates over the step's input in one scan; anything else as a scalar subquery beside them
  const items = step.statistics.map((s) => `${s.aggregate ?? `(${s.sql})`} AS ${quoteIdent(s.key)}`).join(', ')
  const from = step.statistics.some((s) => s.aggregate !== undefined) ? ` FROM ${stepRelationOr(source, before.length)}` : ''
  try {
    return (await db.one(`${withClause(before)}SELECT ${items}${from}`)) ?? {}
  } catch (error) {
    db.checkAborted()
    throw stepFailure(index, config, error)
  }
}

async function describeStep(db: DuckSession, source: string, compiled: CompiledStep[], index: number, step: TransformStep): Promise<DatasetColumn[]> {
  try {
    const rows = await db.rows(`DESCRIBE ${chainSql(source, compiled)}`)
    return rows.map((r) => ({ name: String(r.column_name), type: String(r.column_type) }))
  } catch (error) {
    db.checkAborted()
    throw stepFailure(index, step, error)
  }
}

/** The relation a step at `index` reads. */
function stepRelationOr(source: string, index: number): string {
  return index === 0 ? source : stepRelation(index - 1)
}

function stepFailure(index: number, step: TransformStep, error: unknown): StepError {
  return new StepError(`Step ${index + 1} (${step.op}): ${duckdbMessage(error)}`, { cause: error })
}

/** A failure while the data runs: our own `error()` messages already name the step. */
function runtimeError(error: unknown): StepError {
  const message = duckdbMessage(error)
  return new StepError(/^Step \d+ \(/.test(message) ? message : `The transform failed: ${message}`, { cause: error })
}
