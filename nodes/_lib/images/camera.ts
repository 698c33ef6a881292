import type { Box } from '../image-dataset'
import { defectKinds, paintDefect, type DefectKind } from './defects'
import { applyLighting, blur, sensorNoise } from './optics'
import type { RawImage } from './raw-image'
import { rngFor, type Rng } from './rng'
import { renderSurface, surfaceKinds, type SurfaceKind } from './surfaces'

/**
 * The camera emulator: a product surface, perhaps with defects on it, photographed under
 * uneven light through a slightly soft lens onto a noisy sensor. Image `index` depends only on
 * the settings and its index (never on how many were rendered before), so the worker and the
 * browser's preview draw the same first eight images.
 */
export interface CameraSettings {
  width: number
  height: number
  seed: number
  /** one surface for every image, or `mixed`: each image picks one */
  surface: SurfaceKind | 'mixed'
  /** the fraction of images that show at least one defect, 0…1 */
  defectRate: number
  /** relative share of each kind among the defects (0 switches a kind off) */
  defectMix: Record<DefectKind, number>
  /** a defective image has between 1 and this many defects */
  maxDefects: number
  lighting: { brightness: number; gradient: number; gradientAngle: number; glare: number }
  /** lens blur, the gaussian's standard deviation in pixels */
  blur: number
  /** sensor noise, its standard deviation in grey levels */
  noise: number
}

export interface CameraImage {
  image: RawImage
  /** `good`, or the kind of the image's first defect */
  label: string
  boxes: Box[]
  surface: SurfaceKind
}

export const goodLabel = 'good'

export function renderCameraImage(settings: CameraSettings, index: number): CameraImage {
  const rng = rngFor(settings.seed, index)
  // one generator per concern, forked in a fixed order: changing the defect rate leaves the
  // surface of image i as it was, and changing the noise leaves its defects where they were
  const surfaceRng = rng.fork('surface')
  const defectRng = rng.fork('defects')
  const lightRng = rng.fork('lighting')
  const noiseRng = rng.fork('noise')

  const surface = settings.surface === 'mixed' ? surfaceRng.pick(surfaceKinds) : settings.surface
  const image = renderSurface(surface, settings.width, settings.height, surfaceRng)
  const boxes = paintDefects(image, settings, defectRng)
  applyLighting(image, {
    ...settings.lighting,
    glareX: lightRng.range(0.15, 0.85),
    glareY: lightRng.range(0.15, 0.85),
    glareRadius: lightRng.range(0.12, 0.3),
  })
  blur(image, settings.blur)
  sensorNoise(image, settings.noise, noiseRng)
  const spread = Math.ceil(settings.blur * 2)
  return {
    image,
    label: boxes[0]?.label ?? goodLabel,
    boxes: spread > 0 ? boxes.map((b) => grow(b, spread, settings.width, settings.height)) : boxes,
    surface,
  }
}

function paintDefects(image: RawImage, settings: CameraSettings, rng: Rng): Box[] {
  const defective = rng.chance(settings.defectRate)
  const count = rng.int(1, Math.max(1, settings.maxDefects))
  if (!defective) return []
  return Array.from({ length: count }, () => paintDefect(image, pickKind(settings.defectMix, rng), rng))
}

/** A kind drawn by its share of the mix; a mix of all zeros is refused by the config schema. */
function pickKind(mix: Record<DefectKind, number>, rng: Rng): DefectKind {
  const total = defectKinds.reduce((sum, kind) => sum + Math.max(0, mix[kind]), 0)
  if (!(total > 0)) throw new Error('the defect mix needs at least one kind with a share above 0')
  let draw = rng.next() * total
  for (const kind of defectKinds) {
    draw -= Math.max(0, mix[kind])
    if (draw < 0) return kind
  }
  return defectKinds.findLast((kind) => mix[kind] > 0)!
}

/** Blur smears a defect a little beyond the pixels it was painted on: the box follows. */
function grow(box: Box, by: number, width: number, height: number): Box {
  const x = Math.max(0, box.x - by)
  const y = Math.max(0, box.y - by)
  return { ...box, x, y, w: Math.min(width, box.x + box.w + by) - x, h: Math.min(height, box.y + box.h + by) - y }
}
