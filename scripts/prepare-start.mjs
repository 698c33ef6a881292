// `npm start` runs this first: build the app once when no build exists, so a fresh clone
// needs only `npm install && npm start`.
import { spawnSync } from 'node:child_process'
import fs from 'node:fs'

process.env.NEXT_TELEMETRY_DISABLED = '1'
if (!fs.existsSync('.next/BUILD_ID')) {
  console.log('No build found: building Pipewright once (about a minute)…')
  const result = spawnSync('node_modules/.bin/next', ['build'], { stdio: 'inherit', env: process.env })
  if (result.status !== 0) process.exit(result.status ?? 1)
}
