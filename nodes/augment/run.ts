import { join } from 'node:path'
import type { Executor } from '../contract'
import { withDuckDB } from '../_lib/duckdb'
import { augment, lineageColumns } from './definition'
import { augmentImages } from './images'
import { augmentTable } from './tabular'
import { loadSource, writeOutput } from './table'

export const run: Executor<typeof augment> = async (ctx) => {
  const { config, inputs, outputs, log, progress, signal } = ctx
  progress(0, 'Reading the input')
  const report = await withDuckDB(
    async (db) => {
      const source = await loadSource(db, inputs.dataset.path)
      const own = source.schema.filter((c) => c.name === lineageColumns.sourceRow || c.name === lineageColumns.ops)
      if (own.length > 0) {
        log('warn', `The input already has ${own.map((c) => `"${c.name}"`).join(' and ')}; this step's own replace them (positions in this step's input).`)
      }
      const result = config.mode === 'tabular' ? { added: {}, ...(await augmentTable(db, source, config, signal)) } : await augmentImages(db, source, config, ctx)
      progress(0.92, 'Writing the dataset')
      await writeOutput(db, { source, rows: result.rows, replaced: result.replaced, added: result.added, workDir: ctx.workDir }, outputs.datasetPath('dataset'))
      return result.report
    },
    { signal, tempDirectory: join(ctx.workDir, 'duckdb-tmp') },
  )
  await outputs.report('report', report)
  const grown = report.classes.filter((c) => c.added > 0).map((c) => `${c.label} +${c.added}`)
  log('info', `Added ${report.rowsAdded} rows to ${report.rowsIn}${grown.length > 0 ? ` (${grown.join(', ')})` : ''}`)
  for (const note of report.notes) log('info', note)
  progress(1, 'Done')
}
