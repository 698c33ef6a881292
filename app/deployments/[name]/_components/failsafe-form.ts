// The fail-safe editor's fields, to and from the JSON the server checks (server/serving/failsafe/schema.ts).
// Isomorphic and pure, so the round trip is tested without a browser.

export type ActionType = 'label' | 'value' | 'rules' | 'refuse'

export interface FailsafeFields {
  enabled: boolean
  minConfidence: string
  outOfRange: boolean
  tolerance: string
  unknownCategories: boolean
  onModelError: boolean
  action: ActionType
  label: string
  value: string
  refuseMessage: string
  /** `{ rules: [...], otherwise: {...} }` as JSON text */
  rulesJson: string
}

const exampleRules = JSON.stringify({ rules: [{ when: { feature: 'bill_length_mm', op: '>', value: 45 }, answer: { label: 'Gentoo' } }], otherwise: { needsHuman: true, message: 'A person decides.' } }, null, 2)

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value)

export function fieldsOf(failsafe: Record<string, unknown> | null): FailsafeFields {
  const action = isRecord(failsafe?.action) ? failsafe.action : {}
  const outOfRange = isRecord(failsafe?.outOfRange) ? failsafe.outOfRange : null
  const type = typeof action.type === 'string' && ['label', 'value', 'rules', 'refuse'].includes(action.type) ? (action.type as ActionType) : 'refuse'
  return {
    enabled: failsafe !== null,
    minConfidence: typeof failsafe?.minConfidence === 'number' ? String(failsafe.minConfidence) : '',
    outOfRange: outOfRange !== null,
    tolerance: typeof outOfRange?.tolerance === 'number' ? String(outOfRange.tolerance) : '0',
    unknownCategories: outOfRange?.unknownCategories !== false,
    onModelError: failsafe?.onModelError !== false,
    action: type,
    label: typeof action.label === 'string' ? action.label : '',
    value: typeof action.value === 'number' ? String(action.value) : '',
    refuseMessage: typeof action.message === 'string' ? action.message : '',
    rulesJson: type === 'rules' ? JSON.stringify({ rules: action.rules, otherwise: action.otherwise }, null, 2) : exampleRules,
  }
}

/** A number field as a number; what is not one is sent as text, so the server says what is wrong with it. */
function numberOrText(text: string): number | string {
  const trimmed = text.trim()
  return trimmed !== '' && Number.isFinite(Number(trimmed)) ? Number(trimmed) : text
}

/** The JSON to PATCH as `failsafe`, or an error in the rules' JSON text (said before anything is sent). */
export function failsafeOf(fields: FailsafeFields): { failsafe: Record<string, unknown> | null } | { error: string } {
  if (!fields.enabled) return { failsafe: null }
  let action: Record<string, unknown>
  switch (fields.action) {
    case 'label':
      action = { type: 'label', label: fields.label }
      break
    case 'value':
      action = { type: 'value', value: numberOrText(fields.value) }
      break
    case 'refuse':
      action = fields.refuseMessage.trim() ? { type: 'refuse', message: fields.refuseMessage } : { type: 'refuse' }
      break
    case 'rules': {
      let parsed: unknown
      try {
        parsed = JSON.parse(fields.rulesJson)
      } catch (error) {
        return { error: `The rules are not valid JSON: ${error instanceof Error ? error.message : String(error)}` }
      }
      if (!isRecord(parsed)) return { error: 'The rules must be a JSON object: { "rules": [...], "otherwise": {...} }' }
      action = { type: 'rules', rules: parsed.rules, otherwise: parsed.otherwise }
      break
    }
  }
  return {
    failsafe: {
      ...(fields.minConfidence.trim() !== '' ? { minConfidence: numberOrText(fields.minConfidence) } : {}),
      ...(fields.outOfRange ? { outOfRange: { tolerance: numberOrText(fields.tolerance || '0'), unknownCategories: fields.unknownCategories } } : {}),
      onModelError: fields.onModelError,
      action,
    },
  }
}
