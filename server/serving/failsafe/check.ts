// A fail-safe checked against the model it guards: every problem at once, each with the path of
// the setting at fault, so a deployment form can mark them all. A config with problems is refused
// when it is saved or when the deployment's model changes, never discovered at the first request.
import { modelOutputs, type Feature, type ModelMetadata } from '@/nodes/_lib/models/metadata'
import type { AnswerConfig, Condition, FailsafeConfig, OtherwiseConfig } from './schema'

/** Shaped as the HTTP layer's `Issue`, so `new BadRequestError(problems[0].message, problems)` carries them. */
export interface FailsafeProblem {
  path: string
  message: string
}

const namesShown = 10

export function checkFailsafe(config: FailsafeConfig, metadata: ModelMetadata): FailsafeProblem[] {
  return [...triggerProblems(config, metadata), ...actionProblems(config, metadata)]
}

function triggerProblems(config: FailsafeConfig, metadata: ModelMetadata): FailsafeProblem[] {
  const problems: FailsafeProblem[] = []
  if (config.minConfidence === undefined && config.outOfRange === undefined && !config.onModelError) {
    problems.push({ path: '', message: 'the fail-safe never fires: set minConfidence, outOfRange, or onModelError: true' })
  }
  if (config.minConfidence !== undefined) {
    if (metadata.task !== 'classification') {
      problems.push({ path: 'minConfidence', message: 'applies to classification models only; this model predicts a number (regression)' })
    } else if (!metadata.outputs.some((o) => o.name === modelOutputs.probabilities)) {
      problems.push({ path: 'minConfidence', message: `needs the model's class probabilities, and this model has no "${modelOutputs.probabilities}" output` })
    }
  }
  if (config.outOfRange && !hasRangeToCheck(metadata, config.outOfRange.unknownCategories)) {
    problems.push({
      path: 'outOfRange',
      message: metadata.referenceProfile
        ? 'the model has no number or category feature with a training range to compare inputs with'
        : "needs the training data's reference profile, and this model has none (imported without one?)",
    })
  }
  return problems
}

/** Whether the out-of-range rule has anything to look at: a profiled number or a known category list. */
function hasRangeToCheck(metadata: ModelMetadata, unknownCategories: boolean): boolean {
  const profiledNumber = (metadata.referenceProfile ?? []).some((p) => p.kind === 'number' && p.count > 0)
  const categories = unknownCategories && metadata.features.some((f) => f.kind === 'category' && f.categories.length > 0)
  return profiledNumber || categories
}

function actionProblems(config: FailsafeConfig, metadata: ModelMetadata): FailsafeProblem[] {
  const action = config.action
  switch (action.type) {
    case 'label':
      return answerProblems({ label: action.label }, 'action.label', metadata)
    case 'value':
      return answerProblems({ value: action.value }, 'action.value', metadata)
    case 'refuse':
      return []
    case 'rules': {
      const byName = new Map(metadata.features.map((f) => [f.name, f]))
      return [
        ...action.rules.flatMap((rule, i) => [
          ...conditionProblems(rule.when, `action.rules.${i}.when`, byName),
          ...answerProblems(rule.answer, `action.rules.${i}.answer`, metadata),
        ]),
        ...answerProblems(action.otherwise, 'action.otherwise', metadata),
      ]
    }
  }
}

/** A label answers a classifier, a value a regressor; the other would break every client. */
function answerProblems(answer: AnswerConfig | OtherwiseConfig, path: string, metadata: ModelMetadata): FailsafeProblem[] {
  if (metadata.task === 'regression' && answer.label !== undefined) {
    return [{ path, message: 'the model predicts a number (regression), so the fallback answer must be a value, not a label' }]
  }
  if (metadata.task === 'classification' && answer.value !== undefined) {
    return [{ path, message: `the model predicts a class (classification), so the fallback answer must be a label${labelHint(metadata)}, not a value` }]
  }
  return []
}

function labelHint(metadata: ModelMetadata): string {
  const labels = metadata.labels ?? []
  return labels.length === 0 ? '' : ` (such as ${listNames(labels.slice(0, 3))})`
}

function conditionProblems(condition: Condition, path: string, byName: ReadonlyMap<string, Feature>): FailsafeProblem[] {
  const feature = byName.get(condition.feature)
  if (!feature) return [{ path: `${path}.feature`, message: unknownFeatureMessage(condition.feature, [...byName.keys()]) }]
  if (feature.kind === 'image') {
    return [{ path: `${path}.feature`, message: `"${feature.name}" is an image; rules compare number and category features` }]
  }
  if (feature.kind === 'number' && typeof condition.value === 'string') {
    return [{ path: `${path}.value`, message: `"${feature.name}" is a number, so compare it with a number (got the text ${JSON.stringify(condition.value)})` }]
  }
  if (feature.kind === 'category' && typeof condition.value === 'number') {
    return [{ path: `${path}.value`, message: `"${feature.name}" is a category, so compare it with a text such as "${condition.value}" (got the number ${condition.value})` }]
  }
  return []
}

/** Names differing only in case or white space are the usual slip: say which one was meant. */
function unknownFeatureMessage(name: string, names: readonly string[]): string {
  const loose = (s: string) => s.toLowerCase().replace(/[\s_-]+/g, '')
  const near = names.find((n) => loose(n) === loose(name))
  if (near !== undefined) return `the model has no feature ${JSON.stringify(name)}; did you mean ${JSON.stringify(near)}?`
  if (names.length === 0) return `the model has no feature ${JSON.stringify(name)} (it has no named features)`
  const shown = listNames(names.slice(0, namesShown))
  return `the model has no feature ${JSON.stringify(name)}; its features are ${shown}${names.length > namesShown ? ` and ${names.length - namesShown} more` : ''}`
}

function listNames(names: readonly string[]): string {
  return names.map((n) => JSON.stringify(n)).join(', ')
}
