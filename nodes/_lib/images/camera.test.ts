import { readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { goodLabel, renderCameraImage, type CameraSettings } from './camera'
import { defectKinds } from './defects'
import { blur, sensorNoise } from './optics'
import { createImage } from './raw-image'
import { createRng } from './rng'
import { renderSurface, surfaceKinds } from './surfaces'

const settings: CameraSettings = {
  width: 96,
  height: 64,
  seed: 11,
  surface: 'brushed-metal',
  defectRate: 0.5,
  defectMix: { scratch: 1, dust: 1, smudge: 1, dent: 1 },
  maxDefects: 3,
  lighting: { brightness: 1, gradient: 0.2, gradientAngle: 45, glare: 0.15 },
  blur: 0.5,
  noise: 3,
}

const bytes = (data: Uint8ClampedArray) => Buffer.from(data)

describe('renderCameraImage', () => {
  it('renders the same pixels, label and boxes for the same seed and index', () => {
    for (let index = 0; index < 6; index++) {
      const a = renderCameraImage(settings, index)
      const b = renderCameraImage({ ...settings }, index)
      expect(bytes(a.image.data).equals(bytes(b.image.data))).toBe(true)
      expect([a.label, a.boxes, a.surface]).toEqual([b.label, b.boxes, b.surface])
    }
  })

  it('renders different images for different indexes and seeds', () => {
    const first = bytes(renderCameraImage(settings, 0).image.data)
    expect(first.equals(bytes(renderCameraImage(settings, 1).image.data))).toBe(false)
    expect(first.equals(bytes(renderCameraImage({ ...settings, seed: 12 }, 0).image.data))).toBe(false)
  })

  it('labels an image by its first defect, or good when it has none', () => {
    for (let index = 0; index < 40; index++) {
      const shot = renderCameraImage(settings, index)
      if (shot.boxes.length === 0) expect(shot.label).toBe(goodLabel)
      else expect(shot.label).toBe(shot.boxes[0]!.label)
      expect(shot.boxes.length).toBeLessThanOrEqual(3)
      for (const box of shot.boxes) {
        expect(defectKinds).toContain(box.label)
        expect(box.x).toBeGreaterThanOrEqual(0)
        expect(box.y).toBeGreaterThanOrEqual(0)
        expect(box.x + box.w).toBeLessThanOrEqual(settings.width)
        expect(box.y + box.h).toBeLessThanOrEqual(settings.height)
      }
    }
  })

  it('keeps an image\'s defects where they were when only the optics change', () => {
    const sharp = renderCameraImage({ ...settings, blur: 0, noise: 0, defectRate: 1 }, 3)
    const noisy = renderCameraImage({ ...settings, blur: 0, noise: 20, defectRate: 1, lighting: { ...settings.lighting, glare: 0.8 } }, 3)
    expect(noisy.boxes).toEqual(sharp.boxes)
  })

  it('picks a surface per image when mixed', () => {
    const seen = new Set(Array.from({ length: 30 }, (_, i) => renderCameraImage({ ...settings, surface: 'mixed' }, i).surface))
    expect([...seen].sort()).toEqual([...surfaceKinds].sort())
  })

  it('follows the defect mix: a kind with share 0 never appears', () => {
    const mix = { scratch: 0, dust: 1, smudge: 0, dent: 1 }
    const labels = Array.from({ length: 30 }, (_, i) => renderCameraImage({ ...settings, defectRate: 1, maxDefects: 1, defectMix: mix }, i).label)
    expect(new Set(labels)).toEqual(new Set(['dust', 'dent']))
  })
})

describe('surfaces and optics', () => {
  it('render every surface at the smallest and an odd size with some texture', () => {
    for (const kind of surfaceKinds) {
      for (const [width, height] of [[16, 16], [123, 45]] as const) {
        const image = renderSurface(kind, width, height, createRng(4))
        expect([image.width, image.height, image.data.length]).toEqual([width, height, width * height * 3])
        expect(new Set(image.data).size).toBeGreaterThan(8)
      }
    }
  })

  it('blur keeps a flat image flat and softens an edge symmetrically', () => {
    const image = createImage(20, 1)
    for (let x = 10; x < 20; x++) image.data.fill(200, x * 3, x * 3 + 3)
    blur(image, 1.5)
    expect(image.data[0]).toBe(0)
    expect(image.data[19 * 3]).toBe(200)
    expect(image.data[9 * 3]! + image.data[10 * 3]!).toBeCloseTo(200, -1)
    const flat = createImage(8, 8)
    flat.data.fill(77)
    blur(flat, 3)
    expect(new Set(flat.data)).toEqual(new Set([77]))
  })

  it('sensor noise has about the standard deviation asked for', () => {
    const image = createImage(128, 128)
    image.data.fill(128)
    sensorNoise(image, 10, createRng(1))
    let sum = 0
    let squares = 0
    for (const value of image.data) {
      sum += value
      squares += value * value
    }
    const mean = sum / image.data.length
    const sd = Math.sqrt(squares / image.data.length - mean * mean)
    expect(mean).toBeCloseTo(128, 0)
    // shared part σ plus a colour part 0.35σ: √(1 + 0.35²) ≈ 1.06
    expect(sd).toBeGreaterThan(9.5)
    expect(sd).toBeLessThan(11.5)
  })
})

describe('the image library runs in the browser', () => {
  it('imports neither sharp nor node: modules (type-only imports aside)', () => {
    const seen = new Set<string>()
    const visit = (file: string) => {
      if (seen.has(file)) return
      seen.add(file)
      const source = readFileSync(file, 'utf8')
      for (const match of source.matchAll(/^import\s+(type\s+)?[^'"]*from\s+'([^']+)'/gm)) {
        const [, typeOnly, specifier] = match
        if (typeOnly) continue
        expect(specifier, `${file} imports ${specifier}`).not.toMatch(/^(node:|sharp$|fs$|path$|crypto$)/)
        if (specifier!.startsWith('.')) visit(join(dirname(file), `${specifier}.ts`))
      }
    }
    for (const module of ['camera', 'defects', 'optics', 'surfaces']) visit(join(import.meta.dirname, `${module}.ts`))
    expect(seen.size).toBeGreaterThanOrEqual(6)
  })
})
