#!/usr/bin/env node
// The Pipewright command line: runs pipeline files kept in git through the REST API.
import fs from 'node:fs'
import { parseArgs } from 'node:util'

const usage = `Usage:
  pipewright run FILE [--wait] [--no-cache]   save FILE as the pipeline's new version (if it changed) and start a run
  pipewright export PIPELINE_ID [--out FILE]  print (or write) the pipeline file of the head version

Options:
  --url URL      server address (env PIPEWRIGHT_URL, default http://localhost:3000)
  --token TOKEN  API token (env PIPEWRIGHT_TOKEN); make one on the Tokens page
  --wait         with run: follow the run and exit non-zero unless it succeeds
  --no-cache     with run: run every step even when a cached result exists
  -h, --help     this text

Exit codes: 0 success, 1 the run failed or was canceled, 2 a usage, file or API error.`

class CliError extends Error {}

async function main(argv) {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      url: { type: 'string' },
      token: { type: 'string' },
      wait: { type: 'boolean', default: false },
      'no-cache': { type: 'boolean', default: false },
      out: { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  })
  const [command, target] = positionals
  if (values.help || !command) return process.stdout.write(`${usage}\n`), 0
  const api = client(values.url ?? process.env.PIPEWRIGHT_URL ?? 'http://localhost:3000', values.token ?? process.env.PIPEWRIGHT_TOKEN)
  if (command === 'run' && target) return run(api, target, { wait: values.wait, noCache: values['no-cache'] })
  if (command === 'export' && target) return exportPipeline(api, target, values.out)
  throw new CliError(`${command === 'run' || command === 'export' ? `${command} needs an argument` : `unknown command "${command}"`}\n\n${usage}`)
}

function client(baseUrl, token) {
  return async function request(method, path, body) {
    if (!token) throw new CliError('No API token: pass --token or set PIPEWRIGHT_TOKEN (make one on the Tokens page).')
    let response
    try {
      response = await fetch(new URL(path, baseUrl), {
        method,
        headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/json' } : {}) },
        body: body ? JSON.stringify(body) : undefined,
      })
    } catch (error) {
      throw new CliError(`Cannot reach ${baseUrl}: ${error.cause?.message ?? error.message}`)
    }
    const payload = await response.json().catch(() => ({}))
    if (!response.ok) throw new CliError(`${method} ${path}: ${response.status} ${payload.error ?? response.statusText}`)
    return payload
  }
}

function readPipelineFile(file) {
  let text
  try {
    text = fs.readFileSync(file, 'utf8')
  } catch (error) {
    throw new CliError(`Cannot read ${file}: ${error.message}`)
  }
  try {
    return JSON.parse(text)
  } catch (error) {
    throw new CliError(`${file} is not valid JSON: ${error.message}`)
  }
}

/** The pipeline with the file's name gets a new version when the file differs from its head. */
async function savePipeline(api, file) {
  const { pipelines } = await api('GET', '/api/v1/pipelines')
  const existing = pipelines.find((p) => p.name === file.name)
  if (!existing) {
    const created = await api('POST', '/api/v1/pipelines', file)
    print(`Created pipeline ${file.name} (${created.id}), version ${created.version}.`)
    return created
  }
  const head = await api('GET', `/api/v1/pipelines/${existing.id}`)
  if (canonical(head.file) === canonical(file)) {
    print(`Pipeline ${file.name} is unchanged at version ${head.version}.`)
    return { id: existing.id, version: head.version }
  }
  const saved = await api('PUT', `/api/v1/pipelines/${existing.id}`, file)
  print(`Saved pipeline ${file.name} as version ${saved.version}.`)
  return saved
}

async function run(api, path, options) {
  const file = readPipelineFile(path)
  const pipeline = await savePipeline(api, file)
  const { runId } = await api('POST', `/api/v1/pipelines/${pipeline.id}/runs`, { version: pipeline.version, noCache: options.noCache })
  print(`Run ${runId} started.`)
  if (!options.wait) return 0
  const finished = await follow(api, runId)
  for (const step of finished.steps) {
    const outputs = Object.entries(step.outputs).map(([port, id]) => `${port}=${id.slice(0, 12)}`).join(' ')
    print(`  ${step.nodeId.padEnd(20)} ${(step.cached ? 'cached' : step.status).padEnd(10)} ${outputs}${step.error ? `  ${step.error}` : ''}`)
  }
  print(`Run ${finished.status}${finished.error ? `: ${finished.error}` : ''}.`)
  return finished.status === 'succeeded' ? 0 : 1
}

async function follow(api, runId) {
  const seen = new Map()
  for (;;) {
    const current = await api('GET', `/api/v1/runs/${runId}`)
    for (const step of current.steps) {
      const state = step.cached ? 'cached' : step.status
      if (seen.get(step.nodeId) !== state) print(`  ${step.nodeId}: ${state}`)
      seen.set(step.nodeId, state)
    }
    if (['succeeded', 'failed', 'canceled'].includes(current.status)) return current
    await new Promise((resolve) => setTimeout(resolve, 500))
  }
}

async function exportPipeline(api, pipelineId, out) {
  const { file } = await api('GET', `/api/v1/pipelines/${encodeURIComponent(pipelineId)}`)
  const text = `${JSON.stringify(file, null, 2)}\n`
  if (out) fs.writeFileSync(out, text)
  else process.stdout.write(text)
  return 0
}

function canonical(value) {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`
  if (value && typeof value === 'object') {
    return `{${Object.keys(value).sort().filter((k) => value[k] !== undefined).map((k) => `${JSON.stringify(k)}:${canonical(value[k])}`).join(',')}}`
  }
  return JSON.stringify(value)
}

function print(line) {
  process.stderr.write(`${line}\n`)
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error) => {
    print(error instanceof CliError || error?.code?.startsWith?.('ERR_PARSE_ARGS') ? `pipewright: ${error.message}` : error.stack)
    process.exit(2)
  },
)
