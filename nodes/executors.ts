import type { z } from 'zod'
import type { NodeDefinition, Ports, StepContext, UntypedExecutor } from './contract'
import { typedContext } from './_lib/context-builder'
import { augment } from './augment/definition'
import { run as runAugment } from './augment/run'
import { deploy } from './deploy/definition'
import { run as runDeploy } from './deploy/run'
import { evaluate } from './evaluate/definition'
import { run as runEvaluate } from './evaluate/run'
import { ingest } from './ingest/definition'
import { run as runIngest } from './ingest/run'
import type { NodeKind } from './registry'
import { split } from './split/definition'
import { run as runSplit } from './split/run'
import { trainHandoff } from './train-handoff/definition'
import { run as runTrainHandoff } from './train-handoff/run'
import { transform } from './transform/definition'
import { run as runTransform } from './transform/run'
import { validate } from './validate/definition'
import { run as runValidate } from './validate/run'

/**
 * Pairs a definition with its executor. The executor's context type comes from the definition,
 * so an executor written for another config or other ports is a type error here; at run time
 * the config is parsed and the inputs checked before the executor sees them.
 */
function bind<K extends string, C extends z.ZodType, I extends Ports, O extends Ports, Opt extends string>(
  definition: NodeDefinition<K, C, I, O, Opt>,
  run: (ctx: StepContext<z.output<C>, I, O, Opt>) => Promise<void>,
): UntypedExecutor {
  return (ctx) => run(typedContext(definition, ctx))
}

/** Server-only: the executor of each node kind. A kind without one is a type error. */
const executors = {
  ingest: bind(ingest, runIngest),
  validate: bind(validate, runValidate),
  split: bind(split, runSplit),
  transform: bind(transform, runTransform),
  augment: bind(augment, runAugment),
  'train-handoff': bind(trainHandoff, runTrainHandoff),
  evaluate: bind(evaluate, runEvaluate),
  deploy: bind(deploy, runDeploy),
} satisfies Record<NodeKind, UntypedExecutor>

const byKind = new Map<string, UntypedExecutor>(Object.entries(executors))

export function executorFor(kind: string): UntypedExecutor | undefined {
  return byKind.get(kind)
}
