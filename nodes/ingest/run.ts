import { join } from 'node:path'
import { StepError, type Executor } from '../contract'
import { withDuckDB } from '../_lib/duckdb'
import { formatBytes } from '../_lib/format-bytes'
import { describeParquet } from '../_lib/parquet'
import { runCamera } from './camera/run'
import { ingest, sampleDatasets, type FileFormat, type IngestConfig } from './definition'
import { download } from './download'
import {
  compressionFromFilename,
  formatFromContentType,
  formatFromFilename,
  formatList,
} from './formats'
import { readToParquet, type SourceFile } from './read'
import { readImageArchive, writeImageOutputs } from './images/run-images'
import { writeQuarantine } from './quarantine'

type IngestContext = Parameters<Executor<typeof ingest>>[0]
/** The sources that are one data file; image sources write their dataset themselves. */
type TableSource = Extract<IngestConfig['source'], { type: 'upload' | 'url' | 'sample' }>

export const run: Executor<typeof ingest> = async (ctx) => {
  const { config } = ctx
  if (config.source.type === 'images') return runImages(ctx, config.source)
  if (config.source.type === 'camera') return runCameraSource(ctx, config.source)
  return runTable(ctx, config.source)
}

/** The camera renders every image it keeps; nothing is unreadable, so its quarantine is empty. */
async function runCameraSource(ctx: IngestContext, source: Extract<IngestConfig['source'], { type: 'camera' }>): Promise<void> {
  await runCamera(ctx, source)
  await writeQuarantine(ctx.outputs.datasetPath('quarantine'), [], { workDir: ctx.workDir })
}

async function runImages(ctx: IngestContext, source: Extract<IngestConfig['source'], { type: 'images' }>): Promise<void> {
  ctx.progress(0, 'Opening the archive')
  const { outcome, displayName } = await readImageArchive(ctx, source)
  ctx.progress(0.9, 'Writing the image dataset')
  await writeImageOutputs(outcome, { dataset: ctx.outputs.datasetPath('dataset'), quarantine: ctx.outputs.datasetPath('quarantine') }, ctx, displayName)
  ctx.progress(1, 'Done')
}

async function runTable(ctx: IngestContext, source: TableSource): Promise<void> {
  const { config, log, progress, signal } = ctx
  progress(0, 'Locating the source')
  const file = await locate(ctx, source)
  signal.throwIfAborted()
  log('info', `Reading ${file.displayName} as ${file.format.toUpperCase()}${file.compression === 'gzip' ? ' (gzip)' : ''}`)
  progress(0.5, `Reading ${file.format.toUpperCase()}`)

  const out = ctx.outputs.datasetPath('dataset')
  await withDuckDB(
    async (db) => {
      const outcome = await readToParquet(db, file, out, { badRows: config.badRows, nullValues: config.nullValues, workDir: ctx.workDir, log })
      if ((file.format === 'json' || file.format === 'ndjson') && outcome.textColumns.length > 0) {
        const names = outcome.textColumns.map((c) => `"${c}"`).join(', ')
        log('info', `${names} ${outcome.textColumns.length === 1 ? 'mixes' : 'mix'} value types (e.g. numbers and text); kept as text.`)
      }
      progress(0.9, 'Checking the result')
      const { rowCount, schema } = await describeParquet(out, db)
      if (rowCount === 0) {
        if (outcome.skipped.count > 0) {
          throw new StepError(`No rows of ${file.displayName} could be read: all ${outcome.skipped.count} were skipped as unreadable.`)
        }
        const names = schema.map((c) => c.name).join(', ')
        throw new StepError(
          file.format === 'csv' || file.format === 'tsv'
            ? `${file.displayName} has a header (${names}) but no data rows.`
            : `${file.displayName} contains no rows.`,
        )
      }
      log('info', `Read ${rowCount} ${rowCount === 1 ? 'row' : 'rows'} and ${schema.length} ${schema.length === 1 ? 'column' : 'columns'}` +
        (outcome.skipped.count > 0 ? ` (${outcome.skipped.count} unreadable skipped)` : ''))
      log('info', `Schema: ${schema.map((c) => `${c.name} ${c.type}`).join(', ')}`)
      // the quarantine port is for unreadable images; a table's unreadable rows fail or are skipped (badRows)
      await writeQuarantine(ctx.outputs.datasetPath('quarantine'), [], { workDir: ctx.workDir, db })
    },
    { signal, tempDirectory: join(ctx.workDir, 'duckdb-tmp') },
  )
  progress(1, 'Done')
}

async function locate(ctx: IngestContext, source: TableSource): Promise<SourceFile> {
  switch (source.type) {
    case 'sample': {
      const sample = sampleDatasets.find((s) => s.name === source.name)
      if (!sample) {
        throw new StepError(`There is no sample data set "${source.name}"; choose one of ${sampleDatasets.map((s) => s.name).join(', ')}.`)
      }
      const inferred = formatFromFilename(sample.filename)!
      return { path: join(ctx.samplesDir, sample.filename), displayName: `sample "${sample.name}"`, ...inferred }
    }

    case 'upload': {
      let artifact
      try {
        artifact = await ctx.resolveArtifact(source.artifactId)
      } catch (error) {
        const reason = error instanceof Error ? error.message : String(error)
        throw new StepError(`The uploaded file ${source.artifactId.slice(0, 12)}… could not be found: ${reason}`)
      }
      const displayName = artifact.filename ? `"${artifact.filename}"` : `upload ${source.artifactId.slice(0, 12)}…`
      const format = source.format ?? formatFromFilename(artifact.filename)?.format
      if (!format) {
        throw new StepError(
          `Cannot tell the format of ${displayName} from its name; set the source's format to one of ${formatList}.`,
        )
      }
      return { path: artifact.path, displayName, format, compression: compressionFromFilename(artifact.filename) }
    }

    case 'url': {
      let lastReport = 0
      const downloaded = await download(source.url, {
        signal: ctx.signal,
        workDir: ctx.workDir,
        outbound: ctx.outbound,
        onProgress: (received, total) => {
          const now = Date.now()
          if (now - lastReport < 250 && received !== total) return
          lastReport = now
          const fraction = total ? Math.min(1, received / total) : 0
          ctx.progress(0.45 * fraction, `Downloaded ${formatBytes(received)}${total ? ` of ${formatBytes(total)}` : ''}`)
        },
      })
      ctx.log('info', `Downloaded ${formatBytes(downloaded.bytes)} from ${source.url}`)
      if (!source.format && /^\s*text\/html\b/i.test(downloaded.contentType ?? '')) {
        throw new StepError(
          `${source.url} answered with a web page (text/html), not a data file. Use the file's download link, ` +
            `or set the source's format if the server labels its files wrongly.`,
        )
      }
      const fromName = formatFromFilename(downloaded.pathName) ?? formatFromFilename(downloaded.dispositionName)
      const format: FileFormat | undefined = source.format ?? fromName?.format ?? formatFromContentType(downloaded.contentType)
      if (!format) {
        throw new StepError(
          `Cannot tell the format of ${source.url}: its name has no known extension and the server sent ` +
            `Content-Type ${downloaded.contentType ?? '(none)'}; set the source's format to one of ${formatList}.`,
        )
      }
      const compression = compressionFromFilename(downloaded.pathName ?? downloaded.dispositionName)
      return { path: downloaded.path, displayName: source.url, format, compression }
    }
  }
}

