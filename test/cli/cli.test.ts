import { execFile } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'
import { promisify } from 'node:util'
import { afterAll, describe, expect, it } from 'vitest'
import { tempDir } from '../harness/backends'

const exec = promisify(execFile)
const dir = tempDir('cli')
const cli = path.join(process.cwd(), 'bin', 'pipewright.mjs')

async function pipewright(args: string[], env: Record<string, string> = {}) {
  try {
    const { stdout, stderr } = await exec('node', [cli, ...args], { env: { ...process.env, PIPEWRIGHT_TOKEN: '', ...env } })
    return { code: 0, stdout, stderr }
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string }
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr }
  }
}

describe('the pipewright CLI on bad input (the happy path runs in the end-to-end suite)', () => {
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }))

  it('prints its usage with --help and exits 0', async () => {
    const result = await pipewright(['--help'])
    expect(result.code).toBe(0)
    expect(result.stdout).toMatch(/pipewright run FILE/)
  })

  it('exits 2 naming the problem: unknown command, missing argument, no token', async () => {
    expect(await pipewright(['launch'])).toMatchObject({ code: 2, stderr: expect.stringMatching(/unknown command "launch"/) })
    expect(await pipewright(['run'])).toMatchObject({ code: 2, stderr: expect.stringMatching(/run needs an argument/) })
    const file = path.join(dir, 'ok.json')
    fs.writeFileSync(file, '{}')
    expect(await pipewright(['run', file])).toMatchObject({ code: 2, stderr: expect.stringMatching(/No API token/) })
  })

  it('exits 2 for a missing or non-JSON pipeline file', async () => {
    const env = { PIPEWRIGHT_TOKEN: 'pw_tok_x' }
    expect(await pipewright(['run', path.join(dir, 'nope.json')], env)).toMatchObject({ code: 2, stderr: expect.stringMatching(/Cannot read/) })
    const broken = path.join(dir, 'broken.json')
    fs.writeFileSync(broken, '{"apiVersion": ')
    expect(await pipewright(['run', broken], env)).toMatchObject({ code: 2, stderr: expect.stringMatching(/not valid JSON/) })
  })

  it('exits 2 when the server cannot be reached', async () => {
    const file = path.join(dir, 'reach.json')
    fs.writeFileSync(file, '{"name": "x"}')
    const result = await pipewright(['run', file, '--url', 'http://127.0.0.1:9'], { PIPEWRIGHT_TOKEN: 'pw_tok_x' })
    expect(result.code).toBe(2)
    expect(result.stderr).toMatch(/Cannot reach http:\/\/127\.0\.0\.1:9/)
  })
})
