// The worker thread's entry. Plain JavaScript, because the thread starts with no TypeScript loader:
// under the Next.js server (bundled code) nothing has registered one, under tsx or vitest the
// parent's hooks do not reach a new thread. It registers tsx's ESM hooks for this thread, then
// imports the TypeScript module by absolute path (given by the parent, else from the repository root).
import { resolve } from 'node:path'
import { pathToFileURL } from 'node:url'
import { workerData } from 'node:worker_threads'
import { register } from 'tsx/esm/api'

register()
const module = workerData?.module ?? resolve(process.cwd(), 'nodes/train-handoff/worker/worker-main.ts')
await import(pathToFileURL(module).href)
