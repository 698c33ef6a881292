import { describe, expect, it } from 'vitest'
import { StepError } from '../contract'
import { compileTransform } from './compile'
import { transformConfig } from './definition'
import { ExpressionError, expressionSql, parseExpression } from './expression'

const columns = [
  { name: 'id', type: 'BIGINT' },
  { name: 'a "b" [c]', type: 'DOUBLE' },
  { name: 'text', type: 'VARCHAR' },
]

describe('the derive expression language', () => {
  it('writes precedence out with parentheses and quotes every column and text', () => {
    expect(expressionSql(parseExpression(`1 + id * 2 - -"a ""b"" [c]" / 4`))).toBe(`((1 + ("id" * 2)) - ((- "a ""b"" [c]") / 4))`)
    expect(expressionSql(parseExpression(`lower(text) = 'it''s' or not id > 3 and true`))).toBe(
      `((lower(CAST("text" AS VARCHAR)) = 'it''s') OR ((NOT ("id" > 3)) AND TRUE))`,
    )
    expect(expressionSql(parseExpression('round(id, 1)'))).toBe('round("id", CAST(1 AS INTEGER))')
    expect(expressionSql(parseExpression('if(id != 1, concat(text, 1), null)'))).toBe(
      `CASE WHEN ("id" <> 1) THEN concat(CAST("text" AS VARCHAR), CAST(1 AS VARCHAR)) ELSE NULL END`,
    )
  })

  it('cannot smuggle SQL: anything but its own tokens is an error at its position', () => {
    const fails = (source: string) => {
      try {
        parseExpression(source)
      } catch (error) {
        expect(error).toBeInstanceOf(ExpressionError)
        return (error as ExpressionError).message
      }
      throw new Error(`parsed: ${source}`)
    }
    expect(fails(`id; DROP TABLE x`)).toBe('unexpected character ";" at character 3')
    // "--" is two minus signs here, and the SQL spells them so that no comment can start
    expect(expressionSql(parseExpression('id -- comment'))).toBe('("id" - (- "comment"))')
    expect(fails(`id /* x */`)).toBe(`expected a number, a column, 'text' or "(", found "*" at character 5`)
    expect(fails(`read_csv('/etc/passwd')`)).toMatch(/^unknown function "read_csv"; there are abs, round/)
    expect(fails(`id id`)).toBe('expected an operator or the end, found id at character 4')
    expect(fails(`'open`)).toBe("text is not closed with ' at character 1")
    expect(fails(`(id + 1`)).toBe('expected ")" to close the "(" at character 1, found the end at character 8')
    expect(fails(`abs(1, 2)`)).toBe('abs takes 1 argument, not 2 at character 1')
    expect(fails(`id and`)).toBe('the expression ends too early at character 7')
  })
})

describe('the SQL the panel shows', () => {
  it('is one CTE per step over `input`, with statistics as subqueries', () => {
    const config = transformConfig.parse({
      steps: [
        { op: 'fill_nulls', columns: ['a "b" [c]'], strategy: 'mean' },
        { op: 'filter', conditions: [{ column: 'text', operator: 'starts with', value: "it's" }] },
        { op: 'derive', name: 'n', expression: 'length(text)' },
      ],
    })
    const { sql, columns: out } = compileTransform(config.steps, columns)
    expect(sql).toBe(
      [
        'WITH "step_1" AS (',
        `  SELECT "id", coalesce("a ""b"" [c]", (SELECT avg(CASE WHEN isfinite("a ""b"" [c]") THEN "a ""b"" [c]" END) FROM input)) AS "a ""b"" [c]", "text" FROM input`,
        '),',
        '"step_2" AS (',
        `  SELECT "id", "a ""b"" [c]", "text" FROM "step_1" WHERE coalesce(starts_with(CAST("text" AS VARCHAR), 'it''s'), FALSE)`,
        '),',
        '"step_3" AS (',
        `  SELECT "id", "a ""b"" [c]", "text", length(CAST("text" AS VARCHAR)) AS "n" FROM "step_2"`,
        ')',
        'SELECT * FROM "step_3"',
      ].join('\n'),
    )
    expect(out.map((c) => c.type)).toEqual(['BIGINT', 'DOUBLE', 'VARCHAR', 'UNKNOWN'])
  })

  it('says that one-hot categories come from the data, and stops there rather than guess the columns', () => {
    const config = transformConfig.parse({
      steps: [
        { op: 'one_hot', column: 'text' },
        { op: 'drop', columns: ['text_a'] },
      ],
    })
    const compiled = compileTransform(config.steps, columns)
    expect(compiled.notes).toEqual([
      'Step 1: one 0/1 column per value of "text" (up to 20), listed when the step runs',
      'Step 2 is compiled when the step runs, once the new columns are known.',
    ])
    expect(compiled.sql).not.toContain('step_2')
  })

  it('throws a StepError for a column that is not there', () => {
    const config = transformConfig.parse({ steps: [{ op: 'drop', columns: ['nope'] }] })
    expect(() => compileTransform(config.steps, columns)).toThrow(StepError)
  })
})

describe('the config', () => {
  const issues = (config: unknown) =>
    transformConfig.safeParse(config).error?.issues.map((i) => `${i.path.join('.')}: ${i.message}`) ?? []

  it('takes the contract’s shapes', () => {
    expect(issues({ steps: [{ op: 'drop', columns: ['a'] }] })).toEqual([])
    expect(issues({ steps: [{ op: 'fill_nulls', columns: ['a'], strategy: 'median' }] })).toEqual([])
    expect(issues({ steps: [{ op: 'fill_nulls', columns: ['a'], strategy: 'constant', value: 0 }] })).toEqual([])
    expect(issues({ sql: 'SELECT * FROM input' })).toEqual([])
    expect(transformConfig.parse({})).toEqual({ steps: [] })
  })

  it('refuses bad steps with messages at their fields', () => {
    expect(issues({ steps: [{ op: 'fill_nulls', columns: ['a'], strategy: 'constant' }] })).toEqual([
      'steps.0.value: give the value to fill in, or pick another strategy',
    ])
    expect(issues({ steps: [{ op: 'bin', column: 'a', method: 'edges', edges: [1, 1, 2] }] })).toEqual([
      'steps.0.edges: edges must be in ascending order, each larger than the one before',
    ])
    expect(issues({ steps: [{ op: 'bin', column: 'a', count: 3, labels: ['x'] }] })).toEqual(['steps.0.labels: give one label per bin'])
    expect(issues({ steps: [{ op: 'drop', columns: [] }] })).toHaveLength(1)
    expect(issues({ steps: [{ op: 'explode' }] })).toHaveLength(1)
    expect(issues({ steps: [{ op: 'drop', columns: ['a'] }], sql: 'SELECT 1' })).toEqual([
      'sql: use steps or SQL, not both: remove the steps to run the SQL',
    ])
    expect(issues({ steps: [{ op: 'filter', conditions: [{ column: 'a', operator: 'like', value: 1 }] }] })).toHaveLength(1)
  })
})
