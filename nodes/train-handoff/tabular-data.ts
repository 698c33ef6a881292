// A training table as a trainer takes it: which columns are features and of what kind, whether
// the label makes a classifier or a regressor, and the rows themselves. Columns a model cannot read
// as they are (dates, lists) are left out and said so, never silently.
import { StepError, type DatasetColumn } from '../contract'
import { quoteIdent, quoteLiteral, valueKind, type DuckSession, type JsonRow } from '../_lib/duckdb'
import type { ModelTask } from '../_lib/models/metadata'
import type { TabularFeatureSpec } from './onnx/tabular-preprocess'
import { algorithmTasks, type BuiltinTrainer } from './definition'

/** Columns other steps add for bookkeeping: never features. */
const bookkeeping = new Set(['_source_row', '_ops'])

/** A whole-number label with at most this many values is a class label, not a quantity. */
export const maxIntegerClasses = 20

export interface TableSpec {
  label: string
  task: ModelTask
  features: TabularFeatureSpec[]
  /** columns left out, each with why */
  skipped: { column: string; reason: string }[]
}

/** What decides the table's use: the builtin trainer, or an external one (which may learn either task). */
export type SpecRequest = Pick<BuiltinTrainer, 'label' | 'task' | 'features'> & { algorithm?: BuiltinTrainer['algorithm'] }

export function tableSpec(schema: readonly DatasetColumn[], trainer: SpecRequest, distinctLabels: number): TableSpec {
  const byName = new Map(schema.map((c) => [c.name, c]))
  const names = () => schema.map((c) => JSON.stringify(c.name)).join(', ')
  const label = byName.get(trainer.label)
  if (!label) throw new StepError(`The label column ${JSON.stringify(trainer.label)} is not in the training data; it has ${names()}.`)
  const task = trainer.task ?? guessTask(label, trainer, distinctLabels)
  const skipped: TableSpec['skipped'] = []
  const features: TabularFeatureSpec[] = []
  const wanted = trainer.features ?? schema.map((c) => c.name).filter((n) => n !== trainer.label && !bookkeeping.has(n))
  for (const name of wanted) {
    const column = byName.get(name)
    if (!column) throw new StepError(`The feature column ${JSON.stringify(name)} is not in the training data; it has ${names()}.`)
    const kind = featureKind(column.type)
    if (kind) features.push({ name, kind })
    else skipped.push({ column: name, reason: `its type ${column.type} is neither a number nor text; derive a number from it with a transform step` })
  }
  if (features.length === 0) throw new StepError(`No column can be a feature: ${skipped.map((s) => `${JSON.stringify(s.column)} (${s.reason})`).join('; ') || 'the table has only the label'}.`)
  return { label: trainer.label, task, features, skipped }
}

function featureKind(duckType: string): TabularFeatureSpec['kind'] | null {
  const kind = valueKind(duckType)
  if (kind === 'integer' || kind === 'number') return 'number'
  if (kind === 'string' || kind === 'boolean') return 'category'
  return null
}

function guessTask(label: DatasetColumn, trainer: SpecRequest, distinctLabels: number): ModelTask {
  const can: readonly ModelTask[] = trainer.algorithm ? algorithmTasks[trainer.algorithm] : ['classification', 'regression']
  if (can.length === 1) return can[0]!
  const kind = valueKind(label.type)
  if (kind === 'number') return 'regression'
  if (kind === 'integer') return distinctLabels <= maxIntegerClasses ? 'classification' : 'regression'
  return 'classification'
}

export interface TrainingRows {
  rows: JsonRow[]
  /** classification: each row's class index into `labels`; regression: its value */
  targets: Int32Array | Float32Array
  labels: string[] | null
  /** rows without a label, left out */
  unlabelled: number
}

export async function distinctLabelCount(db: DuckSession, path: string, label: string): Promise<number> {
  const row = await db.one(`SELECT count(DISTINCT ${quoteIdent(label)}) AS n FROM read_parquet(${quoteLiteral(path)})`)
  return Number(row?.n ?? 0)
}

/** The feature columns and the label of every labelled row; class names sorted, as scikit-learn does. */
export async function readTrainingRows(db: DuckSession, path: string, spec: TableSpec, knownLabels?: readonly string[]): Promise<TrainingRows> {
  const label = quoteIdent(spec.label)
  const labelValue = spec.task === 'classification' ? `CAST(${label} AS VARCHAR)` : `TRY_CAST(${label} AS DOUBLE)`
  const select = [...spec.features.map((f) => quoteIdent(f.name)), `${labelValue} AS "__label"`].join(', ')
  const all = await db.rows(`SELECT ${select} FROM read_parquet(${quoteLiteral(path)})`)
  const rows = all.filter((r) => r.__label !== null)
  const unlabelled = all.length - rows.length
  if (spec.task === 'regression') {
    return { rows, targets: Float32Array.from(rows, (r) => Number(r.__label)), labels: null, unlabelled }
  }
  const labels = knownLabels ? [...knownLabels] : [...new Set(rows.map((r) => String(r.__label)))].sort()
  const index = new Map(labels.map((l, i) => [l, i]))
  const targets = new Int32Array(rows.length)
  rows.forEach((r, i) => {
    const at = index.get(String(r.__label))
    // a validation class the training data never had cannot be learned: it counts against the model
    targets[i] = at ?? -1
  })
  return { rows, targets, labels, unlabelled }
}
