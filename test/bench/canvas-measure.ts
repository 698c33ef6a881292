import type { Page } from 'playwright-core'

/** What one page load of a canvas took: navigation start → the frame the node count settled. */
export interface OpenTiming {
  ms: number
  /** nodes drawn when the count settled; below the expected count the canvas culled the rest */
  rendered: number
}

/**
 * Frame times while dragging, from requestAnimationFrame timestamps. `median`/`p95` are the gaps
 * between frames that showed the node somewhere new: what the hand on the mouse sees. The page
 * may keep ticking at 60 fps while the node itself moves only every third frame (the frames in
 * between draw nothing new), so the plain rAF gaps are kept beside them.
 */
export interface FrameTiming {
  median: number
  p95: number
  /** frames that showed the node in a new place */
  moves: number
  rafMedian: number
  rafP95: number
  /** all animation frames */
  frames: number
  /** from the first frame to the last */
  spanMs: number
}

/** How long a count below the expected one must hold before we call it final (culling, not slowness). */
const settleMs = 2000

declare global {
  interface Window {
    /** each change of the drawn-node count, in page time (ms since navigation start) */
    __canvasProbe?: Array<{ t: number; count: number }>
    __canvasProbeStop?: boolean
    __frames?: number[]
    __moveFrames?: number[]
    __framesStop?: boolean
  }
}

/**
 * Watches the node count from the first frame of every document the page loads, so the timing
 * starts at navigation and not when the bench gets round to asking. Runs in the page: a rAF
 * loop, which also makes each sample the start of a frame. A node still `visibility: hidden`
 * is in the DOM but waiting for React Flow to measure it, so it does not count as drawn.
 */
export async function installOpenProbe(page: Page): Promise<void> {
  await page.addInitScript(openProbeScript)
}

// In-page code goes as source text: tsx compiles this file with esbuild's keepNames, which wraps
// named inner functions in a `__name` helper that does not exist in the page.
const openProbeScript = `{
  const samples = []
  window.__canvasProbe = samples
  let last = -1
  function tick(t) {
    if (window.__canvasProbeStop) return
    let count = 0
    for (const node of document.querySelectorAll('.react-flow__node')) {
      if (node.style.visibility !== 'hidden') count++
    }
    if (count !== last) samples.push({ t, count })
    last = count
    requestAnimationFrame(tick)
  }
  requestAnimationFrame(tick)
}`

/**
 * Records the timestamp of every animation frame into `window.__frames`, and of those that
 * showed the dragged node somewhere new into `window.__moveFrames`.
 */
const frameRecorderScript = (nodeSelector: string) => `{
  const frames = []
  const moves = []
  window.__frames = frames
  window.__moveFrames = moves
  window.__framesStop = false
  let lastTransform = null
  function loop(t) {
    if (window.__framesStop) return
    frames.push(t)
    const transform = document.querySelector(${JSON.stringify(nodeSelector)})?.style.transform ?? null
    if (lastTransform !== null && transform !== lastTransform) moves.push(t)
    lastTransform = transform
    requestAnimationFrame(loop)
  }
  requestAnimationFrame(loop)
}`

/** Loads `url` and waits until `expected` nodes are drawn, or a smaller count has held for `settleMs`. */
export async function measureOpen(page: Page, url: string, expected: number): Promise<OpenTiming> {
  await page.goto(url, { waitUntil: 'commit' })
  const handle = await page.waitForFunction(
    ({ expected, settleMs }) => {
      const samples = window.__canvasProbe ?? []
      const last = samples.at(-1)
      if (!last || last.count === 0) return null
      if (last.count >= expected || performance.now() - last.t > settleMs) return last
      return null
    },
    { expected, settleMs },
    { timeout: 120_000, polling: 100 },
  )
  const settled = (await handle.jsonValue()) as { t: number; count: number }
  await page.evaluate(() => (window.__canvasProbeStop = true))
  return { ms: settled.t, rendered: settled.count }
}

/**
 * Where to grab a node: its header when it draws one (the body holds port handles, which start
 * a connection, not a drag), else the middle of its box (zoomed out it is a plain box).
 */
async function grabPoint(page: Page, nodeSelector: string): Promise<{ x: number; y: number }> {
  const node = page.locator(nodeSelector).first()
  const header = node.locator('[data-part=header]')
  const target = (await header.count()) > 0 ? header.first() : node
  const box = await target.boundingBox()
  if (!box) throw new Error(`${nodeSelector} has no box on screen`)
  return { x: box.x + box.width / 2, y: box.y + box.height / 2 }
}

/**
 * Drags one node around a small circle for `durationMs`, moving the mouse a few pixels at a
 * time without pause (as a hand does: the browser folds the moves into one per frame), and
 * times the animation frames meanwhile (see FrameTiming). A gap of 16.7 ms is 60 fps.
 */
export async function measureDrag(page: Page, nodeSelector: string, durationMs = 2000): Promise<FrameTiming> {
  const start = await grabPoint(page, nodeSelector)
  const radius = 80
  await page.mouse.move(start.x, start.y)
  await page.mouse.down()
  // past React Flow's drag threshold before the clock starts: the drag is under way
  await page.mouse.move(start.x + 4, start.y + 4)
  await page.evaluate(frameRecorderScript(nodeSelector))
  const began = Date.now()
  for (let angle = 0; Date.now() - began < durationMs; angle += 0.05) {
    await page.mouse.move(start.x + radius * (Math.cos(angle) - 1), start.y + radius * Math.sin(angle))
  }
  const { frames, moves } = await page.evaluate(() => {
    window.__framesStop = true
    return { frames: window.__frames ?? [], moves: window.__moveFrames ?? [] }
  })
  await page.mouse.up()
  if (moves.length < 2) throw new Error(`${nodeSelector} did not move while dragged`)
  return frameTiming(frames, moves)
}

function frameTiming(frames: number[], moves: number[]): FrameTiming {
  const gaps = (timestamps: number[]) => timestamps.slice(1).map((t, i) => t - timestamps[i]!)
  const moveGaps = gaps(moves)
  const frameGaps = gaps(frames)
  return {
    median: quantile(moveGaps, 0.5),
    p95: quantile(moveGaps, 0.95),
    moves: moves.length,
    rafMedian: quantile(frameGaps, 0.5),
    rafP95: quantile(frameGaps, 0.95),
    frames: frameGaps.length,
    spanMs: frames.at(-1)! - frames[0]!,
  }
}

/** Nearest-rank quantile. */
export function quantile(values: number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)]!
}
