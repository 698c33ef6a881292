import { describe, expect, it } from 'vitest'
import { historyWords, runOfActor } from './history-words'

describe('a rollout-history entry', () => {
  it('names a canary with its share and the version beside it', () => {
    expect(historyWords('rollout', { version: 2, strategy: 'canary', weight: 30, stable: 1 })).toBe('rolled out v2 as a 30% canary beside v1')
  })

  it('links a change a deploy step made to its run, and leaves a person as they are', () => {
    expect(runOfActor('run 416e5682-5451-451d-8860-ac8b71c50c81')).toBe('416e5682-5451-451d-8860-ac8b71c50c81')
    expect(runOfActor('omar@example.com')).toBeNull()
    // only the exact label a run leaves: an email that starts with "run " is a person
    expect(runOfActor('run 416e5682-5451-451d-8860-ac8b71c50c81 and more')).toBeNull()
    expect(runOfActor('run ../../admin')).toBeNull()
  })
})
