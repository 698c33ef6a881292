import { describe, expect, it } from 'vitest'
import type { ModelMetadata } from '@/nodes/_lib/models/metadata'
import { checkFailsafe } from './check'
import { classifier, regressor } from './fixtures'
import { failsafeSchema } from './schema'

function schemaIssues(input: unknown): string[] {
  const result = failsafeSchema.safeParse(input)
  return result.success ? [] : result.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`)
}

/** a body as a client sends it: parsed first, as the route does */
function problems(input: unknown, metadata: ModelMetadata = classifier): string[] {
  return checkFailsafe(failsafeSchema.parse(input), metadata).map((p) => `${p.path}: ${p.message}`)
}

const rulesOn = (feature: string, op: string, value: unknown) => ({
  action: { type: 'rules', rules: [{ when: { feature, op, value }, answer: { label: 'x' } }], otherwise: { needsHuman: true } },
})

describe('the fail-safe config schema', () => {
  it('fills in the defaults', () => {
    expect(failsafeSchema.parse({ outOfRange: {}, action: { type: 'refuse' } })).toEqual({
      outOfRange: { tolerance: 0, unknownCategories: true },
      onModelError: true,
      action: { type: 'refuse' },
    })
  })

  it('refuses bad triggers with messages that say what to send', () => {
    expect(schemaIssues({ minConfidence: 1.5, action: { type: 'refuse' } })).toEqual(['minConfidence: must be from 0 to 1'])
    expect(schemaIssues({ minConfidence: '0.5', action: { type: 'refuse' } })).toEqual(['minConfidence: must be a number from 0 to 1'])
    expect(schemaIssues({ outOfRange: { tolerance: -0.1 }, action: { type: 'refuse' } })).toEqual(['outOfRange.tolerance: must not be negative'])
    expect(schemaIssues({ onModelError: 'yes', action: { type: 'refuse' } })).toEqual(['onModelError: must be true or false'])
    expect(schemaIssues({ minconfidence: 0.5, action: { type: 'refuse' } })).toEqual([': Unrecognized key: "minconfidence"'])
  })

  it('refuses bad actions', () => {
    expect(schemaIssues({})).toEqual(['action: type must be one of label, value, rules, refuse'])
    expect(schemaIssues({ action: { type: 'guess' } })).toEqual(['action.type: type must be one of label, value, rules, refuse'])
    expect(schemaIssues({ action: { type: 'label', label: '   ' } })).toEqual(['action.label: must not be empty'])
    expect(schemaIssues({ action: { type: 'label', label: 'x'.repeat(1001) } })).toEqual(['action.label: must be at most 1000 characters'])
    expect(schemaIssues({ action: { type: 'label', label: 'a\u0000b' } })).toEqual(['action.label: must not contain a NUL character (\\u0000)'])
    expect(schemaIssues({ action: { type: 'value', value: '3' } })).toEqual(['action.value: must be a number'])
    expect(schemaIssues({ action: { type: 'refuse', message: 'x'.repeat(501) } })).toEqual(['action.message: must be at most 500 characters'])
  })

  it('refuses bad rules', () => {
    expect(schemaIssues({ action: { type: 'rules', rules: [], otherwise: { label: 'a' } } })).toEqual(['action.rules: must have at least one rule'])
    expect(schemaIssues(rulesOn('colour', '<', 'red'))).toEqual(['action.rules.0.when.op: compares with a text, so it must be == or != (got <); compare a number with < <= > >='])
    expect(schemaIssues(rulesOn('colour', '=', 'red'))).toEqual(['action.rules.0.when.op: must be one of < <= > >= == !='])
    expect(schemaIssues(rulesOn('colour', '==', true))).toEqual(['action.rules.0.when.value: must be a number or a text'])
    expect(schemaIssues(rulesOn('', '==', 'red'))).toEqual(['action.rules.0.when.feature: must not be empty'])
    const rule = { when: { feature: 'a', op: '>', value: 1 }, answer: { label: 'x' } }
    expect(schemaIssues({ action: { type: 'rules', rules: Array.from({ length: 101 }, () => rule), otherwise: { label: 'a' } } })).toEqual([
      'action.rules: must have at most 100 rules',
    ])
  })

  it('refuses answers that are neither or both of label and value', () => {
    const withAnswer = (answer: unknown, otherwise: unknown = { label: 'a' }) => ({
      action: { type: 'rules', rules: [{ when: { feature: 'a', op: '>', value: 1 }, answer }], otherwise },
    })
    expect(schemaIssues(withAnswer({}))).toEqual(['action.rules.0.answer: an answer needs a label (classification) or a value (regression)'])
    expect(schemaIssues(withAnswer({ label: 'a', value: 1 }))).toEqual(['action.rules.0.answer: an answer has a label or a value, not both'])
    expect(schemaIssues(withAnswer({ label: 'a' }, {}))).toEqual(['action.otherwise: otherwise needs a label, a value, or needsHuman: true'])
    expect(schemaIssues(withAnswer({ label: 'a' }, { label: 'a', needsHuman: true }))).toEqual(['action.otherwise: otherwise takes one of label, value or needsHuman, not several'])
    expect(schemaIssues(withAnswer({ label: 'a' }, { label: 'a', message: 'hi' }))).toEqual(['action.otherwise.message: a message goes with needsHuman: true only'])
    expect(schemaIssues(withAnswer({ label: 'a' }, { needsHuman: false }))).toEqual(['action.otherwise.needsHuman: needsHuman can only be true'])
  })
})

describe('a fail-safe checked against its model', () => {
  it('passes a config that fits the model', () => {
    expect(problems({ minConfidence: 0.7, outOfRange: { tolerance: 0.05 }, ...rulesOn('sepal width [cm]', '>', 3) })).toEqual([])
    expect(problems({ outOfRange: {}, action: { type: 'value', value: 1 } }, regressor)).toEqual([])
  })

  it('refuses a rule on a feature the model does not have, suggesting the near name', () => {
    expect(problems(rulesOn('Sepal_Width [cm]', '>', 3))).toEqual(['action.rules.0.when.feature: the model has no feature "Sepal_Width [cm]"; did you mean "sepal width [cm]"?'])
    expect(problems(rulesOn('petals', '>', 3))).toEqual([
      'action.rules.0.when.feature: the model has no feature "petals"; its features are "petal length", "sepal width [cm]", "colour (dye)", "constructor"',
    ])
    // exact names only: white space is part of the name
    expect(problems(rulesOn(' petal length', '>', 3))).toEqual(['action.rules.0.when.feature: the model has no feature " petal length"; did you mean "petal length"?'])
  })

  it('refuses a comparison the feature cannot make', () => {
    expect(problems(rulesOn('petal length', '==', 'long'))).toEqual(['action.rules.0.when.value: "petal length" is a number, so compare it with a number (got the text "long")'])
    expect(problems(rulesOn('colour (dye)', '==', 3))).toEqual(['action.rules.0.when.value: "colour (dye)" is a category, so compare it with a text such as "3" (got the number 3)'])
  })

  it('refuses answers of the wrong kind for the model', () => {
    expect(problems({ action: { type: 'value', value: 3 } })).toEqual([
      'action.value: the model predicts a class (classification), so the fallback answer must be a label (such as "setosa", "versicolor", "virginica"), not a value',
    ])
    expect(problems({ action: { type: 'label', label: 'cheap' } }, regressor)).toEqual(['action.label: the model predicts a number (regression), so the fallback answer must be a value, not a label'])
    expect(problems({ ...rulesOn('rooms', '>', 3), onModelError: true }, regressor)).toEqual([
      'action.rules.0.answer: the model predicts a number (regression), so the fallback answer must be a value, not a label',
    ])
  })

  it('refuses triggers the model cannot feed', () => {
    expect(problems({ minConfidence: 0.5, action: { type: 'value', value: 1 } }, regressor)).toEqual([
      'minConfidence: applies to classification models only; this model predicts a number (regression)',
    ])
    const noProbabilities: ModelMetadata = { ...classifier, outputs: [{ name: 'label', type: 'string', shape: ['N'] }] }
    expect(problems({ minConfidence: 0.5, action: { type: 'refuse' } }, noProbabilities)).toEqual([`minConfidence: needs the model's class probabilities, and this model has no "probabilities" output`])
    const { referenceProfile: _none, ...unprofiled } = regressor
    expect(problems({ outOfRange: { unknownCategories: false }, action: { type: 'refuse' } }, unprofiled)).toEqual([
      "outOfRange: needs the training data's reference profile, and this model has none (imported without one?)",
    ])
    // known categories are enough to check against, even without a profile
    expect(problems({ outOfRange: {}, action: { type: 'refuse' } }, unprofiled)).toEqual([])
    expect(problems({ onModelError: false, action: { type: 'refuse' } })).toEqual([': the fail-safe never fires: set minConfidence, outOfRange, or onModelError: true'])
  })
})
