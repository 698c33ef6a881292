import { writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import type { Executor } from '../contract'
import { withDuckDB } from '../_lib/duckdb'
import type { trainHandoff } from './definition'
import { handOff } from './external'
import { trainTabularModel } from './train-tabular'

export const run: Executor<typeof trainHandoff> = async (ctx) => {
  const { trainer, seed } = ctx.config
  if (trainer.type !== 'builtin') return handOff(ctx, trainer)
  const { model, spec } = await withDuckDB(
    (db) =>
      trainTabularModel(db, { train: ctx.inputs.train, ...(ctx.inputs.validation ? { validation: ctx.inputs.validation } : {}) }, trainer, seed, {
        signal: ctx.signal,
        log: (level, message) => ctx.log(level, message),
        progress: (fraction, message) => ctx.progress(fraction, message),
        curve: (point) => ctx.curve(point),
      }),
    { signal: ctx.signal },
  )
  const path = join(ctx.workDir, 'model.onnx')
  await writeFile(path, model.bytes)
  ctx.log('info', `Trained ${trainer.algorithm} (${spec.task}) on ${spec.features.length} features: ${Object.entries(model.metadata.metrics ?? {}).map(([k, v]) => `${k} ${Number(v.toPrecision(4))}`).join(', ')}.`)
  await ctx.outputs.model('model', path, model.metadata, { registerAs: ctx.config.registerAs })
  ctx.progress(1)
}
