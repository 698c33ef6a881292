// A step's live chart: the points an executor reports (epochs, boosting rounds), kept bounded so a
// 10,000-epoch run still fits in one row. When full, every other point is dropped: the chart keeps
// its shape end to end, with half the resolution.
import type { CurvePoint } from '../contract'

export const maxCurvePoints = 500

/** The point with its non-finite values left out; null when `step` itself is no finite number. */
export function cleanPoint(point: CurvePoint): CurvePoint | null {
  if (!Number.isFinite(point.step)) return null
  const clean: CurvePoint = { step: point.step }
  for (const [name, value] of Object.entries(point)) {
    if (name !== 'step' && typeof value === 'number' && Number.isFinite(value)) clean[name] = value
  }
  return clean
}

/** Appends in place; thins the older points when the curve is full. */
export function appendPoint(curve: CurvePoint[], point: CurvePoint): void {
  const clean = cleanPoint(point)
  if (!clean) return
  if (curve.length >= maxCurvePoints) {
    const kept = curve.filter((_, i) => i % 2 === 0)
    curve.splice(0, curve.length, ...kept)
  }
  curve.push(clean)
}
