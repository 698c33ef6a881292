// A small line over the last five minutes, one point per 5 s bucket. Plain SVG: dozens of them poll at
// once on the list page, so no chart library per cell. Gaps (null) break the line.

export interface SparklineProps {
  values: readonly (number | null)[]
  width: number
  height: number
  colour: string
  /** fixed floor and ceiling (rates live in 0…1); otherwise 0 to the largest value */
  max?: number
  label: string
  testId?: string
  /** stretch to the container's width (the drawing is scaled, the line stays 1.5 px) */
  fluid?: boolean
}

/** `M`/`L` path segments; a null value ends one segment, the next number starts another. */
export function sparklinePath(values: readonly (number | null)[], width: number, height: number, max: number): string {
  const step = values.length > 1 ? width / (values.length - 1) : 0
  let path = ''
  let drawing = false
  values.forEach((value, index) => {
    if (value === null || !Number.isFinite(value)) {
      drawing = false
      return
    }
    const x = (index * step).toFixed(1)
    const y = (height - 1 - (Math.min(value, max) / max) * (height - 2)).toFixed(1)
    path += `${drawing ? 'L' : 'M'}${x} ${y}`
    drawing = true
  })
  return path
}

export function Sparkline({ values, width, height, colour, max, label, testId, fluid = false }: SparklineProps) {
  const top = max ?? Math.max(0, ...values.filter((v): v is number => v !== null && Number.isFinite(v)))
  const ceiling = top > 0 ? top : 1
  const line = sparklinePath(values, width, height, ceiling)
  return (
    <svg width={fluid ? '100%' : width} height={height} viewBox={`0 0 ${width} ${height}`} preserveAspectRatio="none" role="img" aria-label={label} data-testid={testId} className="block overflow-visible">
      <line x1={0} x2={width} y1={height - 0.5} y2={height - 0.5} className="stroke-zinc-200" strokeWidth={1} vectorEffect="non-scaling-stroke" />
      {line ? <path d={line} fill="none" stroke={colour} strokeWidth={1.5} strokeLinejoin="round" strokeLinecap="round" vectorEffect="non-scaling-stroke" /> : null}
    </svg>
  )
}
