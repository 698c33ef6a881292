// What a person does on the canvas, with the mouse: drop a node from the palette, drag an edge
// from one handle to another, close the settings panel.
import type { Page } from 'playwright-core'
import { expect } from 'vitest'

export const nodeSelector = (id: string) => `.react-flow__node[data-node-id="${id}"]`

/** Drags from an output handle to an input handle; the edge may still be refused (a cycle, a wrong type). */
export async function dragEdge(page: Page, from: string, fromPort: string, to: string, toPort: string): Promise<void> {
  const source = (await page.locator(`${nodeSelector(from)} .react-flow__handle.source[data-handleid="${fromPort}"]`).boundingBox())!
  const target = (await page.locator(`${nodeSelector(to)} .react-flow__handle.target[data-handleid="${toPort}"]`).boundingBox())!
  await page.mouse.move(source.x + source.width / 2, source.y + source.height / 2)
  await page.mouse.down()
  await page.mouse.move(target.x + target.width / 2 - 20, target.y + target.height / 2, { steps: 8 })
  await page.mouse.move(target.x + target.width / 2, target.y + target.height / 2, { steps: 4 })
  await page.mouse.up()
}

/** Drags an edge and waits until the canvas shows it. */
export async function connect(page: Page, from: string, fromPort: string, to: string, toPort: string): Promise<void> {
  await dragEdge(page, from, fromPort, to, toPort)
  await page.waitForSelector(`.react-flow__edge[data-id="${from}.${fromPort}->${to}.${toPort}"]`, { state: 'attached' })
}

/** Drops a palette item at a share (0…1) of the pane's width and height; its settings panel opens. */
export async function dropNode(page: Page, kind: string, x: number, y: number): Promise<void> {
  const pane = (await page.locator('.react-flow__pane').boundingBox())!
  await page.dragAndDrop(`[data-testid=palette-item-${kind}]`, '.react-flow__pane', { targetPosition: { x: pane.width * x, y: pane.height * y } })
  await page.waitForSelector('[data-testid=node-panel]')
}

/** Closes the settings panel with its button (Escape would go to a focused settings field). */
export async function closePanel(page: Page): Promise<void> {
  await page.click('[data-testid=node-panel] [aria-label="Close panel"]')
  await page.waitForSelector('[data-testid=node-panel]', { state: 'detached' })
}

/** Waits until the canvas's pan and zoom stop changing (fitting the view animates). */
export async function viewSettled(page: Page): Promise<void> {
  let last = ''
  await expect
    .poll(
      async () => {
        const now = await page.$eval('.react-flow__viewport', (el) => (el as HTMLElement).style.transform)
        const still = now === last
        last = now
        return still
      },
      { interval: 150 },
    )
    .toBe(true)
}

/** Fits the whole pipeline in view (the F key on the pane), and waits for the animation to end. */
export async function fitView(page: Page): Promise<void> {
  await page.click('.react-flow__pane', { position: { x: 10, y: 10 } })
  await page.keyboard.press('f')
  await viewSettled(page)
}
