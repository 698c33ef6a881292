import fs from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'

const root = process.cwd()

function filesUnder(dir: string, pattern: RegExp): string[] {
  const out: string[] = []
  for (const entry of fs.readdirSync(path.join(root, dir), { withFileTypes: true })) {
    const relative = path.join(dir, entry.name)
    if (entry.isDirectory()) out.push(...filesUnder(relative, pattern))
    else if (pattern.test(entry.name)) out.push(relative)
  }
  return out
}

/** Module specifiers a file imports at run time (`import type` is erased, so it is allowed). */
function runtimeImports(file: string): string[] {
  const source = fs.readFileSync(path.join(root, file), 'utf8')
  const specifiers: string[] = []
  for (const match of source.matchAll(/^\s*import\s+(?!type\b)[^'"]*?from\s+['"]([^'"]+)['"]|^\s*import\s+['"]([^'"]+)['"]/gm)) {
    specifiers.push((match[1] ?? match[2])!)
  }
  for (const match of source.matchAll(/import\(\s*['"]([^'"]+)['"]\s*\)/g)) specifiers.push(match[1]!)
  return specifiers
}

/** Modules under server/ that are pure and isomorphic: the canvas runs them in the browser too. */
const isomorphicServerModules = [
  '@/server/compiler/compile',
  '@/server/compiler/migrate',
  '@/server/compiler/pipeline-file',
  '@/server/pipelines/diff',
  '@/server/runner/states',
  '@/server/serving/health-shape',
  '@/server/use-cases/model',
  '@/server/use-cases/scoring',
  '@/server/validation/text',
]

describe('the layout of ARCHITECTURE.md', () => {
  it('keeps server-only code out of client components', () => {
    const clientFiles = filesUnder('app', /\.(ts|tsx)$/).filter((file) =>
      /^\s*['"]use client['"]/m.test(fs.readFileSync(path.join(root, file), 'utf8')),
    )
    expect(clientFiles.length).toBeGreaterThan(5)
    const forbidden = /^@\/server\/|^@\/db|\/run$|^@duckdb\/|^@electric-sql\/pglite|^onnxruntime-node|^bullmq|^ioredis|^postgres$|^node:/
    const offenders = clientFiles.flatMap((file) =>
      runtimeImports(file)
        .filter((specifier) => forbidden.test(specifier) && !isomorphicServerModules.includes(specifier))
        .map((specifier) => `${file} imports ${specifier}`),
    )
    expect(offenders).toEqual([])
  })

  it('keeps the isomorphic server modules free of server-only imports', () => {
    const forbidden = /^@\/db(?!\/schema)|^@duckdb\/|^@electric-sql\/pglite|^onnxruntime-node|^bullmq|^ioredis|^postgres$|^node:|server-only/
    const offenders = isomorphicServerModules.flatMap((module) => {
      const file = `${module.replace('@/', '')}.ts`
      return runtimeImports(file)
        .filter((specifier) => forbidden.test(specifier))
        .map((specifier) => `${file} imports ${specifier}`)
    })
    expect(offenders).toEqual([])
  })

  it('lets executors talk only to their StepContext: no db/, server/ or tRPC imports under nodes/', () => {
    const offenders = filesUnder('nodes', /\.ts$/)
      .filter((file) => !file.endsWith('.test.ts'))
      .flatMap((file) =>
        runtimeImports(file)
          .filter((specifier) => /^@\/(db|server)\b|\/db\/|@trpc\//.test(specifier))
          .map((specifier) => `${file} imports ${specifier}`),
      )
    expect(offenders).toEqual([])
  })

  it('gives every registered node kind its own folder with a definition and an executor', async () => {
    const { nodeDefinitions } = await import('@/nodes/registry')
    const { executorFor } = await import('@/nodes/executors')
    for (const definition of nodeDefinitions) {
      expect(fs.existsSync(path.join(root, 'nodes', definition.kind, 'definition.ts'))).toBe(true)
      expect(fs.existsSync(path.join(root, 'nodes', definition.kind, 'run.ts'))).toBe(true)
      expect(typeof executorFor(definition.kind)).toBe('function')
    }
  })

  it('names node kinds only inside nodes/: the rest of the app asks the registry and the views list', async () => {
    const { nodeDefinitions } = await import('@/nodes/registry')
    const kinds = new Set<string>(nodeDefinitions.map((d) => d.kind))
    const offenders = [...filesUnder('app', /\.(ts|tsx)$/), ...filesUnder('server', /\.(ts|tsx)$/)]
      .filter((file) => !/\.test\.tsx?$/.test(file))
      .flatMap((file) =>
        stringLiterals(withoutComments(fs.readFileSync(path.join(root, file), 'utf8')))
          .filter((literal) => kinds.has(literal))
          .map((literal) => `${file} names the node kind "${literal}"`),
      )
    expect(offenders).toEqual([])
  })
})

function withoutComments(source: string): string {
  return source.replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|[^:])\/\/.*$/gm, '$1')
}

function stringLiterals(source: string): string[] {
  return [...source.matchAll(/'([^'\\\n]*)'|"([^"\\\n]*)"|`([^`\\$]*)`/g)].map((m) => m[1] ?? m[2] ?? m[3] ?? '')
}
