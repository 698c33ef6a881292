// Isomorphic: transform steps → DuckDB SQL, one CTE per step, so the browser can show the SQL the
// server runs. No DuckDB import. Steps that need statistics of the data (a mean, categories,
// quantiles) name them as scalar subqueries (`statistics`); the executor computes them first and
// passes their values in, so the SQL it runs has them as constants. Without values (the browser)
// the subqueries stay inline, which is equivalent SQL.
import type { DatasetColumn } from '../contract'
import { quoteIdent } from '../_lib/sql-text'
import type { TransformStep } from './definition'
import { compileBin, compileOneHot, compileScale } from './compile-features'
import { compileCast, compileDedupe, compileDerive, compileDrop, compileFill, compileFilter, compileParseDate, compileRename } from './compile-columns'
import type { ColumnHistory, Statistic, StepScope } from './scope'

export type { Statistic } from './scope'

/** What one step compiles to. */
export interface CompiledStep {
  /** `SELECT … FROM <input>` */
  select: string
  /** the columns it produces; a derived column's type is `UNKNOWN` until DuckDB describes it */
  columns: DatasetColumn[]
  /** why names disappeared, for later steps' messages */
  history: Map<string, string>
  /** statistics the SQL uses, computed from the step's input */
  statistics: Statistic[]
  /** a note for the reader of the SQL (one-hot categories that only the data can tell) */
  note?: string
}

/** Values of a step's statistics by key, as DuckDB returned them; absent in the browser. */
export type StatisticValues = Readonly<Record<string, unknown>>

export interface StepCompiler {
  statistics(scope: StepScope): Statistic[]
  compile(scope: StepScope, values: StatisticValues | undefined): Omit<CompiledStep, 'statistics' | 'history'> & { history?: Map<string, string> }
}

const noStatistics = () => []

const compilers: { [O in TransformStep['op']]: StepCompiler } = {
  drop: { statistics: noStatistics, compile: compileDrop },
  rename: { statistics: noStatistics, compile: compileRename },
  cast: { statistics: noStatistics, compile: compileCast },
  fill_nulls: compileFill,
  dedupe: { statistics: noStatistics, compile: compileDedupe },
  filter: { statistics: noStatistics, compile: compileFilter },
  derive: { statistics: noStatistics, compile: compileDerive },
  one_hot: compileOneHot,
  bin: compileBin,
  scale: compileScale,
  parse_date: { statistics: noStatistics, compile: compileParseDate },
}

/** The CTE that holds the result of step `index` (0-based); `input` is the table before any step. */
export function stepRelation(index: number): string {
  return quoteIdent(`step_${index + 1}`)
}

export interface StepInput {
  index: number
  step: TransformStep
  columns: DatasetColumn[]
  history: ColumnHistory
  /** the relation it reads: `input` or the previous step's CTE */
  from: string
}

/** The statistics step `input.step` needs (empty for most). Throws a StepError for a bad column. */
export function stepStatistics(input: StepInput): Statistic[] {
  return compilers[input.step.op].statistics(input)
}

/** One step as SQL over `input.from`. Throws a StepError naming the step for a bad config. */
export function compileStep(input: StepInput, values?: StatisticValues): CompiledStep {
  const compiler = compilers[input.step.op]
  const statistics = compiler.statistics(input)
  const compiled = compiler.compile(input, values)
  return { ...compiled, history: new Map([...input.history, ...(compiled.history ?? [])]), statistics }
}

/** `WITH step_1 AS (…), …` for the compiled steps, with a line break after it; '' for none. */
export function withClause(steps: Pick<CompiledStep, 'select'>[]): string {
  if (steps.length === 0) return ''
  return `WITH ${steps.map((s, i) => `${stepRelation(i)} AS (\n  ${s.select}\n)`).join(',\n')}\n`
}

/** The whole query up to and including the last compiled step. */
export function chainSql(source: string, steps: Pick<CompiledStep, 'select'>[]): string {
  return `${withClause(steps)}SELECT * FROM ${steps.length === 0 ? source : stepRelation(steps.length - 1)}`
}

export interface CompiledTransform {
  sql: string
  columns: DatasetColumn[]
  notes: string[]
}

/**
 * The SQL of a whole step list over a table called `input` with the given columns, as the
 * browser shows it (statistics inline). Throws a StepError at the first step that cannot compile.
 */
export function compileTransform(steps: TransformStep[], columns: DatasetColumn[], source = 'input'): CompiledTransform {
  const compiled: CompiledStep[] = []
  const notes: string[] = []
  let current = columns
  let history: ColumnHistory = new Map()
  for (const [index, step] of steps.entries()) {
    const result = compileStep({ index, step, columns: current, history, from: index === 0 ? source : stepRelation(index - 1) })
    compiled.push(result)
    current = result.columns
    history = result.history
    if (result.note) notes.push(`Step ${index + 1}: ${result.note}`)
    // one-hot columns are known only from the data: what follows cannot be compiled yet
    if (step.op === 'one_hot' && index < steps.length - 1) {
      const rest = index + 2 === steps.length ? `Step ${steps.length} is` : `Steps ${index + 2}–${steps.length} are`
      notes.push(`${rest} compiled when the step runs, once the new columns are known.`)
      break
    }
  }
  return { sql: chainSql(source, compiled), columns: current, notes }
}
