import { z } from 'zod'
import type { CameraSettings } from '../../_lib/images/camera'
import { defectKinds, type DefectKind } from '../../_lib/images/defects'
import { surfaceKinds } from '../../_lib/images/surfaces'

/**
 * The `camera` ingest source: the camera emulator's settings. Isomorphic, like the ingest
 * definition it joins: the config form, the compiler, the worker and the panel's preview read it.
 */
export const maxCameraImages = 20_000
export const minCameraSide = 16
export const maxCameraSide = 1024
/** 20,000 images of 256×256: a larger resolution means fewer images */
export const maxCameraPixels = maxCameraImages * 256 * 256

const share = z.number().min(0, 'must be between 0 and 1').max(1, 'must be between 0 and 1')
const side = (name: string) =>
  z
    .number()
    .int(`the ${name} must be a whole number of pixels`)
    .min(minCameraSide, `the ${name} must be at least ${minCameraSide} pixels`)
    .max(maxCameraSide, `the ${name} must be at most ${maxCameraSide} pixels`)
    .default(256)
    .describe(`Image ${name} in pixels (${minCameraSide}…${maxCameraSide})`)

const defaultMix: Record<DefectKind, number> = { scratch: 1, dust: 1, smudge: 1, dent: 1 }
const defaultLighting = { brightness: 1, gradient: 0.2, gradientAngle: 45, glare: 0.15 }

const defectMix = z
  .strictObject(
    Object.fromEntries(defectKinds.map((kind) => [kind, share.default(1).describe(`Share of ${kind}s among the defects (0 = none)`)])) as Record<
      DefectKind,
      z.ZodDefault<z.ZodNumber>
    >,
  )
  .refine((mix) => defectKinds.some((kind) => mix[kind] > 0), 'at least one defect kind needs a share above 0')
  .default(defaultMix)
  .describe('How the defects divide among the kinds: relative shares, so 1/1/1/1 is an even mix and 0 switches a kind off')

const lighting = z
  .strictObject({
    brightness: z.number().min(0.2, 'brightness must be between 0.2 and 2').max(2, 'brightness must be between 0.2 and 2').default(1)
      .describe('Overall exposure: 1 as lit, 0.5 half as bright, 2 twice (0.2…2)'),
    gradient: share.default(0.2).describe('How much darker the far side is than the near side (0 = even light, 1 = black far edge)'),
    gradientAngle: z.number().min(0, 'the angle must be between 0 and 360 degrees').max(360, 'the angle must be between 0 and 360 degrees').default(45)
      .describe('Direction the light falls off toward, in degrees (0 = right, 90 = down)'),
    glare: share.default(0.15).describe('Strength of a specular highlight at a random spot of each image (0 = none)'),
  })
  .default(defaultLighting)
  .describe('Lighting')

export const cameraSource = z
  .strictObject({
    type: z.literal('camera').describe('Synthetic product-surface images from the built-in camera emulator'),
    count: z
      .number()
      .int('the count must be a whole number')
      .min(1, 'render at least 1 image')
      .max(maxCameraImages, `at most ${maxCameraImages.toLocaleString('en')} images`)
      .default(200)
      .describe(`How many images to render (1…${maxCameraImages.toLocaleString('en')})`),
    width: side('width'),
    height: side('height'),
    surface: z
      .enum([...surfaceKinds, 'mixed'])
      .default('brushed-metal')
      .describe('The product surface photographed; mixed picks one per image'),
    defectRate: share.default(0.3).describe('Fraction of images that show a defect (0 = all good, 1 = all defective)'),
    defectMix,
    maxDefects: z.number().int('must be a whole number').min(1, 'must be 1 to 5').max(5, 'must be 1 to 5').default(1)
      .describe('A defective image shows 1 up to this many defects; its label is the first one'),
    lighting,
    blur: z.number().min(0, 'blur must be between 0 and 8 pixels').max(8, 'blur must be between 0 and 8 pixels').default(0.5)
      .describe('Lens blur: the standard deviation of the gaussian in pixels (0 = sharp)'),
    noise: z.number().min(0, 'noise must be between 0 and 64 grey levels').max(64, 'noise must be between 0 and 64 grey levels').default(3)
      .describe('Sensor noise: its standard deviation in grey levels (0 = none)'),
    seed: z
      .number()
      .int('the seed must be a whole number')
      .min(0, 'the seed must be between 0 and 4294967295')
      .max(4294967295, 'the seed must be between 0 and 4294967295')
      .default(1)
      .describe('The same seed renders the same images, byte for byte'),
  })
  .refine((source) => source.count * source.width * source.height <= maxCameraPixels, {
    message: `too many pixels: count × width × height may be at most ${maxCameraPixels.toLocaleString('en')} (20,000 images of 256×256, or 1,250 of 1024×1024)`,
    path: ['count'],
  })
  .describe('Camera emulator')

export type CameraSource = z.output<typeof cameraSource>

export function cameraSettings(source: CameraSource): CameraSettings {
  const { width, height, seed, surface, defectRate, defectMix, maxDefects, lighting, blur, noise } = source
  return { width, height, seed, surface, defectRate, defectMix, maxDefects, lighting, blur, noise }
}
