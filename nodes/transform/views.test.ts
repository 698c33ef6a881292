import { describe, expect, it } from 'vitest'
import { describeTransform } from './views'

const schema = [
  { name: 'id', type: 'BIGINT' },
  { name: 'name [x]', type: 'VARCHAR' },
]

describe('the SQL shown under the transform form', () => {
  it('is the compiled SQL once the steps are complete and the input is known', () => {
    const shown = describeTransform({ steps: [{ op: 'drop', columns: ['name [x]'] }] }, schema)
    expect(shown).toEqual({ kind: 'sql', sql: 'WITH "step_1" AS (\n  SELECT "id" FROM input\n)\nSELECT * FROM "step_1"', notes: [] })
  })

  it('names the problem of a step before anything runs', () => {
    expect(describeTransform({ steps: [{ op: 'scale', columns: ['name [x]'] }] }, schema)).toEqual({
      kind: 'error',
      message: 'Step 1 (scale): column "name [x]" holds VARCHAR, not numbers',
    })
  })

  it('says what SQL mode may use, and what is missing otherwise', () => {
    expect(describeTransform({ sql: 'SELECT 1' }, schema).kind).toBe('sql-mode')
    expect(describeTransform({ steps: [] }, schema).kind).toBe('no-steps')
    expect(describeTransform({ steps: [{ op: 'drop', columns: [] }] }, schema).kind).toBe('incomplete')
    expect(describeTransform({ steps: [{ op: 'drop', columns: ['id'] }] }, null).kind).toBe('no-schema')
  })
})
