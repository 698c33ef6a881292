import type { Box } from '../_lib/image-dataset'
import { paintDefect, type DefectKind } from '../_lib/images/defects'
import { cloneImage } from '../_lib/images/raw-image'
import type { Rng } from '../_lib/images/rng'
import type { Frame } from './image-ops'

/**
 * A copy of a good image with one painted defect (the camera emulator's painters). The defect's
 * box, labelled with its kind, joins the image's boxes; the source image is left as it was.
 */
export function injectDefect(frame: Frame, kind: DefectKind, rng: Rng): Frame {
  const image = cloneImage(frame.image)
  const box: Box = paintDefect(image, kind, rng)
  return { image, boxes: [...frame.boxes, { ...box, label: kind }] }
}
