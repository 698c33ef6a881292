import { writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import type { Executor } from '../contract'
import { withDuckDB } from '../_lib/duckdb'
import type { trainHandoff } from './definition'
import { handOff } from './external'
import { trainImageModel } from './train-image'
import { trainTabularModel } from './train-tabular'

export const run: Executor<typeof trainHandoff> = async (ctx) => {
  const { trainer, seed } = ctx.config
  if (trainer.type !== 'builtin') return handOff(ctx, trainer)
  const inputs = { train: ctx.inputs.train, ...(ctx.inputs.validation ? { validation: ctx.inputs.validation } : {}) }
  const training = {
    signal: ctx.signal,
    log: (level: 'info' | 'warn', message: string) => ctx.log(level, message),
    progress: (fraction: number, message?: string) => ctx.progress(fraction, message),
    curve: (point: Parameters<typeof ctx.curve>[0]) => ctx.curve(point),
  }
  const { model, summary } = await withDuckDB(
    async (db) => {
      if (trainer.algorithm === 'cnn') {
        const trained = await trainImageModel(db, inputs, trainer, seed, { ...training, readBlob: (id) => ctx.readBlob(id) })
        return { model: trained.model, summary: `cnn on ${trained.images} images (${trained.secondsPerEpoch.toFixed(2)} s an epoch)` }
      }
      const trained = await trainTabularModel(db, inputs, trainer, seed, training)
      return { model: trained.model, summary: `${trainer.algorithm} (${trained.spec.task}) on ${trained.spec.features.length} features` }
    },
    { signal: ctx.signal },
  )
  const path = join(ctx.workDir, 'model.onnx')
  await writeFile(path, model.bytes)
  ctx.log('info', `Trained ${summary}: ${Object.entries(model.metadata.metrics ?? {}).map(([k, v]) => `${k} ${Number(v.toPrecision(4))}`).join(', ')}.`)
  await ctx.outputs.model('model', path, model.metadata, { registerAs: ctx.config.registerAs })
  ctx.progress(1)
}
