import { startAppServer } from './test/harness/app-server'
import { launchBrowser, signIn } from './test/harness/browser'
const owner = { name: 'Ada', email: 'ada@example.com', password: 'engines of analysis' }
const app = await startAppServer()
try {
  await fetch(`${app.url}/api/v1/setup`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(owner) })
  const browser = await launchBrowser()
  const page = await (await browser.newContext({ viewport: { width: 1440, height: 900 } })).newPage()
  page.setDefaultTimeout(120_000)
  await signIn(page, app.url, owner)
  const cookies = (await page.context().cookies()).map((c) => `${c.name}=${c.value}`).join('; ')
  const list = await (await fetch(`${app.url}/api/v1/pipelines`, { headers: { cookie: cookies } })).json() as any
  console.log(JSON.stringify(list).slice(0, 300))
  const penguin = (list.pipelines ?? list.items ?? list).find((p: any) => p.name === 'penguin-species')
  const runs = await (await fetch(`${app.url}/api/v1/pipelines/${penguin.id}/runs`, { headers: { cookie: cookies } })).json() as any
  console.log(JSON.stringify(runs).slice(0, 300))
  let runId = (runs.runs ?? runs.items ?? runs)[0]?.id
  if (!runId) {
    const started = await (await fetch(`${app.url}/api/v1/pipelines/${penguin.id}/runs`, { method: 'POST', headers: { cookie: cookies, 'content-type': 'application/json', origin: app.url }, body: '{}' })).json() as any
    console.log(JSON.stringify(started)); runId = started.runId ?? started.id
  }
  await page.goto(`${app.url}/runs/${runId}`)
  await page.waitForSelector('text=succeeded', { timeout: 180_000 })
  await page.waitForTimeout(8000)
  await page.reload()
  await page.screenshot({ path: '/work/shots/run.png', fullPage: true })
  await page.goto(`${app.url}/runs/${runId}/steps/evaluate`)
  await page.waitForSelector('[data-testid=evaluation-report]')
  await page.screenshot({ path: '/work/shots/evaluate.png', fullPage: true })
  await browser.close()
} finally { await app.stop() }
