import { createElement } from 'react'
import { renderToString } from 'react-dom/server'
import { describe, expect, it } from 'vitest'
import { viewsFor } from '../../views'

function aside(config: unknown): string {
  const ConfigAside = viewsFor('ingest')!.ConfigAside!
  return renderToString(createElement(ConfigAside, { config, nodeId: 'load' }))
}

const count = (html: string, text: string) => html.split(text).length - 1

describe('the ingest panel aside', () => {
  it('shows eight preview tiles for a camera source', () => {
    const html = aside({ source: { type: 'camera', count: 500, width: 64, height: 48 } })
    expect(html).toContain('the first 8 of 500 images')
    expect(count(html, '<canvas')).toBe(8)
    expect(html).toContain('aria-label="Image 8: rendering"')
  })

  it('shows as many tiles as images when there are fewer than eight', () => {
    const html = aside({ source: { type: 'camera', count: 3 } })
    expect(count(html, '<canvas')).toBe(3)
    expect(html).toContain('the first 3 of 3 images')
  })

  it('says which setting keeps the preview from rendering', () => {
    const html = aside({ source: { type: 'camera', width: 4000 } })
    expect(html).toContain('data-testid="camera-preview-invalid"')
    expect(html).toContain('width: the width must be at most 1024 pixels')
    expect(html).not.toContain('<canvas')
  })

  it('renders nothing for the other sources', () => {
    expect(aside({ source: { type: 'sample', name: 'penguins' } })).toBe('')
    expect(aside({ source: { type: 'upload' } })).toBe('')
    expect(aside({})).toBe('')
    expect(aside(null)).toBe('')
  })
})
