import fs from 'node:fs'
import http from 'node:http'
import { createRequire } from 'node:module'
import type { AddressInfo } from 'node:net'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { build } from 'esbuild'
import { tempDir } from '../harness/backends'

export interface BarePage {
  url: string
  stop(): Promise<void>
}

const here = path.dirname(fileURLToPath(import.meta.url))

/**
 * Bundles bare-react-flow.tsx for production (minified, NODE_ENV=production: React's dev checks
 * would make the reference look slower than it is) into a temp folder, and serves it with
 * React Flow's own stylesheet inlined.
 */
export async function startBarePage(): Promise<BarePage> {
  const dir = tempDir('bare-flow')
  await build({
    entryPoints: [path.join(here, 'bare-react-flow.tsx')],
    outfile: path.join(dir, 'app.js'),
    bundle: true,
    minify: true,
    format: 'esm',
    platform: 'browser',
    jsx: 'automatic',
    define: { 'process.env.NODE_ENV': '"production"' },
    logLevel: 'error',
  })
  const css = fs.readFileSync(createRequire(import.meta.url).resolve('@xyflow/react/dist/style.css'), 'utf8')
  const html = `<!doctype html><html><head><meta charset="utf-8"><title>bare React Flow</title>
<style>${css}\nhtml, body { margin: 0; }</style></head>
<body><div id="root"></div><script type="module" src="/app.js"></script></body></html>`
  const script = fs.readFileSync(path.join(dir, 'app.js'))

  const server = http.createServer((request, response) => {
    if (request.url?.startsWith('/app.js')) {
      response.writeHead(200, { 'content-type': 'text/javascript' }).end(script)
    } else {
      response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(html)
    }
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}`,
    stop: async () => {
      await new Promise((resolve) => server.close(resolve))
      fs.rmSync(dir, { recursive: true, force: true })
    },
  }
}
