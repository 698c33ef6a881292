import { describe, expect, it } from 'vitest'
import { threadModeText, wantedThreads } from './threads'

describe('the preview threads', () => {
  it('uses up to 4 of the cores when the page is cross-origin isolated, one otherwise', () => {
    expect(wantedThreads(true, 2)).toBe(2)
    expect(wantedThreads(true, 16)).toBe(4)
    expect(wantedThreads(true, 1)).toBe(1)
    expect(wantedThreads(true, undefined)).toBe(1)
    expect(wantedThreads(false, 16)).toBe(1)
  })

  it('says which mode runs, and why a single thread', () => {
    expect(threadModeText({ threads: 2, isolated: true, cores: 2 })).toBe('wasm · 2 threads')
    expect(threadModeText({ threads: 1, isolated: false, cores: 8 })).toBe('wasm · 1 thread (page not cross-origin isolated)')
    expect(threadModeText({ threads: 1, isolated: true, cores: 1 })).toBe('wasm · 1 thread (this device reports one core)')
    // onnxruntime-web fell back to one thread on its own
    expect(threadModeText({ threads: 1, isolated: true, cores: 8 })).toBe('wasm · 1 thread (this browser cannot run wasm threads)')
  })
})
