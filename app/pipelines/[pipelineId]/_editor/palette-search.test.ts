import { describe, expect, it } from 'vitest'
import { nodeDefinitions } from '@/nodes/registry'
import { searchPalette } from './palette-search'

const entries = nodeDefinitions.map((d) => ({ kind: d.kind, ui: d.ui }))
const kinds = (query: string) => searchPalette(entries, query).map((e) => e.kind)

describe('palette search', () => {
  it('lists every kind for an empty query', () => {
    expect(kinds('  ')).toEqual(entries.map((e) => e.kind))
  })

  it('matches aliases: "check" and "quality" find validate first, "csv" and "load" find ingest', () => {
    expect(kinds('check')[0]).toBe('validate')
    // evaluate's quality gates match too, after the node whose alias it is
    expect(kinds('quality')).toEqual(['validate', 'evaluate'])
    expect(kinds('csv')[0]).toBe('ingest')
    expect(kinds('LOAD')).toEqual(['ingest'])
  })

  it('needs every word to match somewhere, and finds nothing for nonsense', () => {
    expect(kinds('great expectations')).toEqual(['validate'])
    expect(kinds('parquet outliers')).toEqual([])
    expect(kinds('zzzz')).toEqual([])
  })
})
