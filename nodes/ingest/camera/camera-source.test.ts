import { readFile } from 'node:fs/promises'
import sharp from 'sharp'
import { afterAll, describe, expect, it } from 'vitest'
import type { z } from 'zod'
import { renderCameraImage } from '../../_lib/images/camera'
import { defectKinds } from '../../_lib/images/defects'
import { createTestContext, readParquet, type TestRun } from '../../_lib/test-context'
import { ingest, ingestConfig } from '../definition'
import { cameraSettings, cameraSource } from './definition'
import { run } from '../run'

type CameraInput = Extract<z.input<typeof ingestConfig>['source'], { type: 'camera' }>
type IngestRun = TestRun<z.output<typeof ingestConfig>, Record<string, never>, (typeof ingest)['ports']['out']>

const runs: IngestRun[] = []
afterAll(() => Promise.all(runs.map((r) => r.cleanup())))

async function render(source: Omit<CameraInput, 'type'>) {
  const t = await createTestContext(ingest, { source: { type: 'camera', ...source } })
  runs.push(t)
  await run(t.ctx)
  const rows = await readParquet(t.outputs.dataset!)
  return { t, rows }
}

interface Row {
  image: string
  width: number
  height: number
  label: string
  boxes: { label: string; x: number; y: number; w: number; h: number }[]
  surface: string
}

const small = { count: 6, width: 48, height: 32, seed: 5, defectRate: 0.5 }

describe('camera source', () => {
  it('writes an image dataset: one PNG blob per row, of the declared size', async () => {
    const { t, rows } = await render({ ...small, surface: 'textile' })
    expect(rows).toHaveLength(6)
    for (const row of rows as unknown as Row[]) {
      expect(Object.keys(row)).toEqual(['image', 'width', 'height', 'label', 'boxes', 'surface'])
      expect([row.width, row.height, row.surface]).toEqual([48, 32, 'textile'])
      const blob = t.blobs.get(row.image)!
      expect(blob.mediaType).toBe('image/png')
      const meta = await sharp(await readFile(blob.path)).metadata()
      expect([meta.format, meta.width, meta.height]).toEqual(['png', 48, 32])
    }
    expect(t.progress.at(-1)).toEqual({ fraction: 1, message: 'Done' })
  })

  it('renders the same PNG and Parquet bytes from the same seed', async () => {
    const a = await render(small)
    const b = await render(small)
    expect(a.rows).toEqual(b.rows)
    expect((await readFile(a.t.outputs.dataset!)).equals(await readFile(b.t.outputs.dataset!))).toBe(true)
    for (const row of a.rows as unknown as Row[]) {
      const [fromA, fromB] = [a.t.blobs.get(row.image)!, b.t.blobs.get(row.image)!]
      expect((await readFile(fromA.path)).equals(await readFile(fromB.path))).toBe(true)
    }
    const other = await render({ ...small, seed: 6 })
    expect(other.rows.map((r) => r.image)).not.toEqual(a.rows.map((r) => r.image))
  })

  it('renders image i the same whatever the count', async () => {
    const three = await render({ ...small, count: 3 })
    const nine = await render({ ...small, count: 9 })
    expect(nine.rows.slice(0, 3)).toEqual(three.rows)
  })

  it('renders all good at defect rate 0 and all defective at 1, boxes inside the image', async () => {
    const good = await render({ ...small, count: 12, defectRate: 0 })
    expect((good.rows as unknown as Row[]).every((r) => r.label === 'good' && r.boxes.length === 0)).toBe(true)
    const bad = await render({ ...small, count: 12, defectRate: 1, maxDefects: 2 })
    for (const row of bad.rows as unknown as Row[]) {
      expect(defectKinds).toContain(row.label)
      expect(row.boxes[0]!.label).toBe(row.label)
      for (const box of row.boxes) {
        expect(box.x >= 0 && box.y >= 0 && box.x + box.w <= 48 && box.y + box.h <= 32).toBe(true)
      }
    }
    expect(bad.t.logs.some((l) => /Rendered 12 images: /.test(l.message))).toBe(true)
  })

  it('stores what the panel preview draws: the same labels, boxes and pixels', async () => {
    const source = { ...small, count: 8, defectRate: 0.6, surface: 'mixed' as const }
    const { t, rows } = await render(source)
    const settings = cameraSettings(cameraSource.parse({ type: 'camera', ...source }))
    for (const [index, row] of (rows as unknown as Row[]).entries()) {
      const shot = renderCameraImage(settings, index)
      expect([row.label, row.boxes, row.surface]).toEqual([shot.label, shot.boxes, shot.surface])
      const { data } = await sharp(await readFile(t.blobs.get(row.image)!.path)).raw().toBuffer({ resolveWithObject: true })
      expect(data.equals(Buffer.from(shot.image.data))).toBe(true)
    }
  })

  it('renders only the kinds the defect mix allows', async () => {
    const { rows } = await render({ ...small, count: 10, defectRate: 1, defectMix: { scratch: 1, dust: 0, smudge: 0, dent: 0 } })
    expect(new Set(rows.map((r) => r.label))).toEqual(new Set(['scratch']))
  })

  it('stops when the run is canceled and writes no dataset', async () => {
    const t = await createTestContext(ingest, { source: { type: 'camera', count: 5000, width: 64, height: 64 } })
    runs.push(t)
    const running = run(t.ctx)
    setTimeout(() => t.controller.abort(), 100)
    await expect(running).rejects.toThrow(/abort/i)
    expect(t.blobs.size).toBeLessThan(5000)
    expect(t.outputs.dataset).toBeUndefined()
    // nothing still encoding in the background once the step has given up
    const kept = t.blobs.size
    await new Promise((resolve) => setTimeout(resolve, 200))
    expect(t.blobs.size).toBe(kept)
  })
})

describe('camera source settings', () => {
  const parse = (source: Record<string, unknown>) => ingestConfig.safeParse({ source: { type: 'camera', ...source } })
  const messages = (source: Record<string, unknown>) => {
    const result = parse(source)
    expect(result.success).toBe(false)
    return result.error!.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`)
  }

  it('fills sensible defaults around the contract\'s fields', () => {
    const result = parse({})
    expect(result.success).toBe(true)
    expect(result.data!.source).toEqual({
      type: 'camera',
      count: 200,
      width: 256,
      height: 256,
      surface: 'brushed-metal',
      defectRate: 0.3,
      defectMix: { scratch: 1, dust: 1, smudge: 1, dent: 1 },
      maxDefects: 1,
      lighting: { brightness: 1, gradient: 0.2, gradientAngle: 45, glare: 0.15 },
      blur: 0.5,
      noise: 3,
      seed: 1,
    })
    const partial = parse({ lighting: { glare: 0 }, defectMix: { dent: 0 } })
    expect(partial.data!.source).toMatchObject({ lighting: { brightness: 1, glare: 0 }, defectMix: { scratch: 1, dent: 0 } })
  })

  it.each([
    [{ count: 0 }, 'source.count: render at least 1 image'],
    [{ count: 20_001 }, 'source.count: at most 20,000 images'],
    [{ count: 2.5 }, 'source.count: the count must be a whole number'],
    [{ width: 15 }, 'source.width: the width must be at least 16 pixels'],
    [{ height: 1025 }, 'source.height: the height must be at most 1024 pixels'],
    [{ defectRate: 1.5 }, 'source.defectRate: must be between 0 and 1'],
    [{ defectRate: -0.1 }, 'source.defectRate: must be between 0 and 1'],
    [{ defectMix: { scratch: 0, dust: 0, smudge: 0, dent: 0 } }, 'source.defectMix: at least one defect kind needs a share above 0'],
    [{ defectMix: { rust: 1 } }, 'source.defectMix: Unrecognized key: "rust"'],
    [{ lighting: { brightness: 3 } }, 'source.lighting.brightness: brightness must be between 0.2 and 2'],
    [{ blur: 9 }, 'source.blur: blur must be between 0 and 8 pixels'],
    [{ noise: -1 }, 'source.noise: noise must be between 0 and 64 grey levels'],
    [{ seed: -1 }, 'source.seed: the seed must be between 0 and 4294967295'],
    [{ surface: 'glass' }, 'source.surface: Invalid option: expected one of "brushed-metal"|"textile"|"printed-circuit"|"wood"|"mixed"'],
    [{ count: 2000, width: 1024, height: 1024 }, 'source.count: too many pixels'],
  ])('refuses %j with a clear message', (source, message) => {
    expect(messages(source).join('\n')).toContain(message)
  })
})
