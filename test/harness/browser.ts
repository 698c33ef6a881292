import fs from 'node:fs'
import { chromium, type Browser, type Page } from 'playwright-core'

const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'

/** Debian's Chromium, headless, with nothing reaching for the network. */
export async function launchBrowser(): Promise<Browser> {
  if (!fs.existsSync(chromiumPath)) {
    throw new Error(`Chromium not found at ${chromiumPath}: apt-get install -y chromium (or set CHROMIUM_PATH).`)
  }
  return chromium.launch({
    executablePath: chromiumPath,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  })
}

/** Signs in through the form, as a person does, and waits for the pipelines list it lands on. */
export async function signIn(page: Page, appUrl: string, who: { email: string; password: string }): Promise<void> {
  await page.goto(`${appUrl}/sign-in`)
  await page.fill('input[type=email]', who.email)
  await page.fill('input[type=password]', who.password)
  await page.click('button[type=submit]')
  await page.waitForURL('**/pipelines')
}

/** Drops an image file on an element, as a person dragging it from their desktop would. */
export async function dropImageFile(page: Page, selector: string, bytes: Uint8Array, name: string, type = 'image/png'): Promise<void> {
  const dataTransfer = await page.evaluateHandle(
    ({ b64, name, type }) => {
      const transfer = new DataTransfer()
      transfer.items.add(new File([Uint8Array.from(atob(b64), (c) => c.charCodeAt(0))], name, { type }))
      return transfer
    },
    { b64: Buffer.from(bytes).toString('base64'), name, type },
  )
  await page.dispatchEvent(selector, 'drop', { dataTransfer })
}
