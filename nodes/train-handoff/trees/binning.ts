// Quantile binning, computed once before training. Bin 0 of every feature holds the missing
// values (NaN); value bins are 1…k+1 for k thresholds. A value v falls in bin j+1 for the first
// threshold t[j] with v <= t[j] — the same `x <= threshold` test the ONNX tree ensemble makes, so
// thresholds are float32 numbers strictly below the next training value (see `cutBetween`).

export const maxBins = 256 // 255 value bins + the missing bin, so a bin fits in a byte

export interface Binned {
  /** row-major [rows × F]: 0 = missing, 1… value bins */
  bins: Uint8Array
  rows: number
  features: number
  /** per feature, the float32 thresholds between its value bins (ascending) */
  thresholds: Float32Array[]
}

/** A float32 cut c with a <= c < b for float32 a < b: the midpoint, nudged down if rounding reached b. */
function cutBetween(a: number, b: number): number {
  const mid = Math.fround(a + (b - a) / 2)
  return mid >= b ? a : mid
}

function featureThresholds(sorted: Float32Array, maxValueBins: number): Float32Array {
  const distinct: number[] = []
  for (let i = 0; i < sorted.length; i++) if (i === 0 || sorted[i] !== sorted[i - 1]) distinct.push(sorted[i]!)
  const cuts: number[] = []
  if (distinct.length <= maxValueBins) {
    for (let i = 1; i < distinct.length; i++) cuts.push(cutBetween(distinct[i - 1]!, distinct[i]!))
  } else {
    // quantile cuts on the rows, kept only where they separate two different values
    for (let q = 1; q < maxValueBins; q++) {
      const at = Math.floor((q * sorted.length) / maxValueBins)
      const below = sorted[at - 1]!
      const above = sorted[at]!
      if (below === above) continue
      const cut = cutBetween(below, above)
      if (cuts.length === 0 || cut > cuts[cuts.length - 1]!) cuts.push(cut)
    }
  }
  return Float32Array.from(cuts)
}

/** The bin of one value: 0 for NaN, else 1 + the index of the first threshold >= v. */
export function binOf(value: number, thresholds: Float32Array): number {
  if (Number.isNaN(value)) return 0
  let lo = 0
  let hi = thresholds.length
  while (lo < hi) {
    const mid = (lo + hi) >> 1
    if (value <= thresholds[mid]!) hi = mid
    else lo = mid + 1
  }
  return lo + 1
}

export function binFeatures(x: Float32Array, rows: number, features: number, maxValueBins = maxBins - 1): Binned {
  if (x.length !== rows * features) throw new Error(`features: expected ${rows * features} values, got ${x.length}`)
  if (maxValueBins < 2 || maxValueBins > maxBins - 1) throw new Error(`maxBins must be 2…${maxBins - 1}`)
  const thresholds: Float32Array[] = []
  const bins = new Uint8Array(rows * features)
  const column = new Float32Array(rows)
  for (let f = 0; f < features; f++) {
    let present = 0
    for (let r = 0; r < rows; r++) {
      const v = x[r * features + f]!
      if (!Number.isNaN(v)) column[present++] = v
    }
    const sorted = column.slice(0, present).sort()
    const cuts = featureThresholds(sorted, maxValueBins)
    thresholds.push(cuts)
    for (let r = 0; r < rows; r++) bins[r * features + f] = binOf(x[r * features + f]!, cuts)
  }
  return { bins, rows, features, thresholds }
}
