import type { ValidationReport } from '@/nodes/validate/definition'

type RuleResult = ValidationReport['rules'][number]

export const ruleLabels: Record<RuleResult['rule'], string> = {
  not_null: 'Not null',
  between: 'Range',
  in_set: 'Allowed values',
  regex: 'Pattern',
  unique: 'Unique',
  zscore: 'Outlier (z-score)',
  iqr: 'Outlier (IQR)',
}

function num(value: unknown): string | null {
  return typeof value === 'number' && Number.isFinite(value) ? value.toLocaleString('en-US') : null
}

/** A rule's parameters in words: "between 20 and 80", "one of Adelie, Chinstrap or Gentoo". */
export function ruleInWords(rule: Pick<RuleResult, 'rule' | 'params'>): string {
  const p = rule.params
  switch (rule.rule) {
    case 'not_null':
      return 'present (not null, not blank)'
    case 'between': {
      const min = num(p.min)
      const max = num(p.max)
      if (min !== null && max !== null) return `between ${min} and ${max}`
      if (min !== null) return `at least ${min}`
      if (max !== null) return `at most ${max}`
      return 'within a range'
    }
    case 'in_set':
      return Array.isArray(p.values) ? `one of ${listInWords(p.values.map(String))}` : 'one of a set of values'
    case 'regex':
      return typeof p.pattern === 'string' ? `matching the pattern ${p.pattern}` : 'matching a pattern'
    case 'unique':
      return 'unique (no value appears twice)'
    case 'zscore':
      return `within ${num(p.threshold) ?? 3} standard deviations of the mean`
    case 'iqr':
      return `within ${num(p.factor) ?? 1.5} × IQR of the quartiles`
  }
}

function listInWords(items: string[]): string {
  if (items.length <= 1) return items.join('')
  return `${items.slice(0, -1).join(', ')} or ${items.at(-1)}`
}
