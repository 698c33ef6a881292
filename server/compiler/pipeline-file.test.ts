import { describe, expect, it } from 'vitest'
import { maxUiBytes, pipelineFile } from './pipeline-file'

const base = {
  apiVersion: 'pipewright/v1',
  name: 'odd-text',
  nodes: [{ id: 'load', kind: 'ingest', config: { source: { type: 'sample', name: 'penguins' } } }],
  edges: [],
}

describe('the pipeline-file reader at the boundary', () => {
  it('names the path of a NUL or a lone surrogate anywhere in config or ui', () => {
    const withNul = pipelineFile.safeParse({ ...base, nodes: [{ id: 'load', kind: 'ingest', config: { source: { type: 'url', url: 'http://x/\u0000' } } }] })
    expect(withNul.error?.issues[0]).toMatchObject({ path: ['nodes', 0, 'config', 'source', 'url'], message: expect.stringMatching(/NUL/) })
    const inUi = pipelineFile.safeParse({ ...base, ui: { notes: [{ text: 'half \ud83d emoji' }] } })
    expect(inUi.error?.issues[0]).toMatchObject({ path: ['ui', 'notes', 0, 'text'], message: expect.stringMatching(/surrogate/) })
  })

  it('refuses a ui key over its limit, naming it, and keeps files with ordinary view state', () => {
    const huge = pipelineFile.safeParse({ ...base, ui: { notes: [{ text: 'x'.repeat(maxUiBytes + 1) }] } })
    expect(huge.error?.issues[0]).toMatchObject({ path: ['ui'], message: expect.stringMatching(/at most 2 MiB/) })
    expect(pipelineFile.safeParse({ ...base, ui: { positions: { load: { x: 1, y: 2 } }, notes: [{ text: 'Dog 🐕' }] } }).success).toBe(true)
  })
})
