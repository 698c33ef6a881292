import { z } from 'zod'
import { defineNode } from '../contract'

export const builtinAlgorithms = ['logistic-regression', 'mlp', 'ridge', 'gradient-boosting', 'cnn'] as const
export type BuiltinAlgorithm = (typeof builtinAlgorithms)[number]

/** Which task each algorithm learns; the MLP and the trees do both, chosen by the label's type; the CNN classifies images. */
export const algorithmTasks: Record<BuiltinAlgorithm, readonly ('classification' | 'regression')[]> = {
  'logistic-regression': ['classification'],
  mlp: ['classification', 'regression'],
  ridge: ['regression'],
  'gradient-boosting': ['classification', 'regression'],
  cnn: ['classification'],
}

/** The algorithms that read an image dataset's `image` column rather than table columns. */
export const imageAlgorithms: readonly BuiltinAlgorithm[] = ['cnn']

/** Model names follow pipeline names: they appear in URLs and in the registry. */
export const modelName = z
  .string()
  .min(1)
  .max(100)
  .regex(/^[a-z0-9][a-z0-9-]*$/, 'must be lower-case letters, digits and "-", e.g. "penguin-classifier"')

// `column: true` tells the config form to offer the upstream dataset's column names
const column = (what: string) => z.string().min(1).max(256).describe(what).meta({ column: true })

const positiveInt = (max: number) => z.int().positive().max(max)

// each variant's describe() is its name in the config form's trainer select, its type's the hint beneath
export const builtinTrainer = z.strictObject({
  type: z.literal('builtin').describe('Pipewright trains it here, in a worker thread'),
  algorithm: z.enum(builtinAlgorithms).describe('What to train'),
  label: column('The column to predict; text or a few distinct values make a classifier, numbers a regressor'),
  features: z.array(column('A column the model reads')).max(10_000).optional().describe('The columns the model reads; all others but the label when left out (cnn: the "image" column)'),
  task: z.enum(['classification', 'regression']).optional().describe('Overrides the task guessed from the label column'),
  epochs: positiveInt(10_000).optional().describe('Passes over the training data (neural networks; cnn default 20)'),
  batchSize: positiveInt(65_536).optional().describe('Rows per gradient step (neural networks)'),
  learningRate: z.number().positive().max(10).optional().describe('Step size of the optimiser; for gradient boosting the shrinkage of each tree (default 0.1, at most 1)'),
  hiddenLayers: z.array(positiveInt(4096)).max(8).optional().describe('Units per hidden layer (MLP), e.g. [64, 32]'),
  l2: z.number().nonnegative().max(1e6).optional().describe('Weight decay (logistic regression, MLP), the ridge penalty, or the L2 penalty on leaf values (gradient boosting, default 1)'),
  patience: positiveInt(10_000).optional().describe('With a validation input: stop when its loss has not improved for this many epochs (boosting rounds for gradient boosting)'),
  trees: positiveInt(10_000).optional().describe('Boosting rounds (gradient boosting, default 100); a classifier of K > 2 classes grows K trees a round'),
  maxDepth: positiveInt(16).optional().describe('Deepest split of each tree (gradient boosting, default 6)'),
  minSamplesLeaf: positiveInt(1_000_000).optional().describe('Fewest training rows a leaf may hold (gradient boosting, default 20); larger is smoother'),
  subsample: z.number().gt(0).max(1).optional().describe('Share of the rows each tree is grown on, drawn from the seed (gradient boosting, default 1 = all)'),
  imageSize: z.int().min(8).max(256).optional().describe('Side in pixels the CNN sees (default 32): every image is resized to imageSize × imageSize inside the model, whatever its own size'),
  filters: z.array(positiveInt(256)).min(1).max(6).optional().describe('Filters of each conv 3×3 + max-pool layer of the CNN, e.g. [8, 16] (the default)'),
}).describe('Built in')
export type BuiltinTrainer = z.infer<typeof builtinTrainer>

/** What every external trainer shares: the data's roles and how long to wait. */
const externalFields = {
  label: column('The column to predict').default('label'),
  features: z.array(column('A column the model reads')).max(10_000).optional().describe('The columns the model reads; all others but the label when left out'),
  task: z.enum(['classification', 'regression']).optional().describe('Overrides the task guessed from the label column'),
  hyperparameters: z
    .record(z.string().min(1).max(100), z.union([z.string().max(1000), z.number(), z.boolean()]))
    .refine((h) => Object.keys(h).length <= 100, 'at most 100 hyperparameters')
    .optional()
    .describe('Passed to the trainer in the manifest as they are'),
  timeoutMinutes: z.int().positive().max(7 * 24 * 60).default(60).describe('Fail the step when no model has arrived by then'),
}

export const webhookTrainer = z.strictObject({
  type: z.literal('webhook').describe('Your trainer is called over HTTP with the data and sends the ONNX model back'),
  url: z.url({ protocol: /^https?$/, error: 'an http(s) address, e.g. https://trainer.example.org/jobs' }).max(2000).describe('Called with the manifest, the bundle address, the callback address and the token'),
  ...externalFields,
}).describe('Webhook (your trainer)')

export const manualTrainer = z.strictObject({
  type: z.literal('manual').describe('The step waits; a person uploads the ONNX model on its page'),
  ...externalFields,
}).describe('Manual upload')

export const commandTrainer = z.strictObject({
  type: z.literal('command').describe('A training command an administrator allowed runs on the worker with the data as files'),
  command: z
    .string()
    .regex(/^[a-z0-9][a-z0-9._-]{0,63}$/, 'the name of a training command an administrator listed in PIPEWRIGHT_TRAINER_COMMANDS, e.g. pytorch-cnn')
    .describe('The name of a training command an administrator allowed on the workers (PIPEWRIGHT_TRAINER_COMMANDS); it gets the bundle as a folder'),
  ...externalFields,
}).describe('Command on the worker')

export type ExternalTrainer = z.output<typeof webhookTrainer> | z.output<typeof commandTrainer> | z.output<typeof manualTrainer>

export const trainHandoffConfig = z
  .strictObject({
    trainer: z.discriminatedUnion('type', [builtinTrainer, webhookTrainer, commandTrainer, manualTrainer]).describe('Who trains the model'),
    registerAs: modelName.describe('The registry name the model is registered under; each run adds a version'),
    seed: z.int().default(42).describe('The same data and seed train the same model'),
  })
  .superRefine((config, ctx) => {
    const { trainer } = config
    if (trainer.type === 'builtin' && trainer.task && !algorithmTasks[trainer.algorithm].includes(trainer.task)) {
      ctx.addIssue({ code: 'custom', path: ['trainer', 'task'], message: `${trainer.algorithm} learns ${algorithmTasks[trainer.algorithm].join(' or ')}, not ${trainer.task}` })
    }
    if (trainer.type === 'builtin' && trainer.algorithm === 'gradient-boosting' && trainer.learningRate !== undefined && trainer.learningRate > 1) {
      ctx.addIssue({ code: 'custom', path: ['trainer', 'learningRate'], message: 'gradient boosting shrinks each tree by the learning rate: it must lie in (0, 1]' })
    }
    if (trainer.type === 'builtin' && trainer.algorithm === 'cnn') checkCnn(trainer, ctx)
    if (trainer.features?.includes(trainer.label)) {
      ctx.addIssue({ code: 'custom', path: ['trainer', 'features'], message: `the label column "${trainer.label}" cannot also be a feature: the model would read its own answer` })
    }
  })
export type TrainHandoffConfig = z.output<typeof trainHandoffConfig>

/** The CNN reads one image column; each max-pool halves the side, so the image must outlast them. */
function checkCnn(trainer: BuiltinTrainer, ctx: z.RefinementCtx): void {
  if (trainer.features && (trainer.features.length !== 1 || trainer.features[0] !== 'image')) {
    ctx.addIssue({ code: 'custom', path: ['trainer', 'features'], message: 'the CNN reads the image dataset\'s "image" column: leave features out or set it to ["image"]' })
  }
  const limits = [['epochs', trainer.epochs, 1000], ['batchSize', trainer.batchSize, 4096], ['learningRate', trainer.learningRate, 1]] as const
  for (const [key, value, max] of limits) {
    if (value !== undefined && value > max) ctx.addIssue({ code: 'custom', path: ['trainer', key], message: `the CNN takes a ${key} of at most ${max}` })
  }
  const size = trainer.imageSize ?? 32
  const layers = trainer.filters?.length ?? 2
  if (size >> layers < 1) {
    ctx.addIssue({ code: 'custom', path: ['trainer', 'imageSize'], message: `${layers} pooling layers halve the image ${layers} times: imageSize ${size} is too small, use at least ${2 ** layers}` })
  }
}

export const trainHandoff = defineNode({
  kind: 'train-handoff',
  version: 1,
  ports: { in: { train: 'dataset', validation: 'dataset' }, out: { model: 'model' }, optional: ['validation'] },
  config: trainHandoffConfig,
  ui: {
    title: 'Train',
    category: 'model',
    icon: 'brain-circuit',
    aliases: ['train', 'fit', 'model', 'classifier', 'regression', 'neural network', 'mlp', 'logistic', 'ridge', 'linear', 'gradient boosting', 'trees', 'gbdt', 'xgboost', 'cnn', 'convolutional', 'image classifier'],
    description:
      'Trains a model on the train set (early stopping on the validation set when connected) and registers it as ONNX, with its preprocessing inside, so server, browser and edge give the same answers.',
  },
  retry: { attempts: 1, backoffMs: 0 },
})
