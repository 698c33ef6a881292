import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { profileParquet } from '../parquet'
import { writeParquet } from '../test-context'
import { featureProfileSchema } from './metadata'
import { referenceProfile } from './reference-profile'

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'reference-profile-'))
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }))

describe("a model's reference profile", () => {
  it('keeps range, moments and histogram of numbers and the counts of categories, for the features only', async () => {
    const file = await writeParquet(
      path.join(dir, 'train.parquet'),
      `SELECT i::DOUBLE AS "size [cm]", CASE WHEN i % 4 = 0 THEN NULL WHEN i % 2 = 0 THEN 'red' ELSE 'blue' END AS colour, 'x' AS label FROM range(100) t(i)`,
    )
    const profile = referenceProfile(await profileParquet(file, { topK: 1000 }), [
      { name: 'size [cm]', kind: 'number' },
      { name: 'colour', kind: 'category', categories: ['blue', 'red'] },
    ])
    expect(profile).toHaveLength(2)
    for (const feature of profile) expect(featureProfileSchema.safeParse(feature).success).toBe(true)
    expect(profile[0]).toMatchObject({ name: 'size [cm]', kind: 'number', count: 100, nulls: 0, min: 0, max: 99, mean: 49.5 })
    const histogram = profile[0]!.kind === 'number' ? profile[0]!.histogram : null
    expect(histogram!.counts.reduce((a, b) => a + b, 0)).toBe(100)
    expect(profile[1]).toEqual({ name: 'colour', kind: 'category', count: 75, nulls: 25, categories: [{ value: 'blue', count: 50 }, { value: 'red', count: 25 }] })
  })
})
