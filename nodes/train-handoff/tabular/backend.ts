// TensorFlow.js on its WASM backend (XNNPACK): about 4× the plain 'cpu' backend for dense layers,
// and `tfjs-node` cannot be installed here. The .wasm files are found by absolute path from the
// repository root, because inside bundled server code the package's own `__dirname` guess breaks.
import { existsSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import * as tf from '@tensorflow/tfjs'
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm'

export type TfBackend = 'wasm' | 'cpu'

let ready: Promise<TfBackend> | undefined

/** The folder holding tfjs-backend-wasm's .wasm files, or undefined when they are not there. */
export function wasmDirectory(root = process.cwd()): string | undefined {
  try {
    const manifest = createRequire(join(root, 'package.json')).resolve('@tensorflow/tfjs-backend-wasm/package.json')
    const dist = join(dirname(manifest), 'dist')
    return existsSync(join(dist, 'tfjs-backend-wasm.wasm')) ? dist : undefined
  } catch {
    return undefined
  }
}

async function initialise(log: (message: string) => void): Promise<TfBackend> {
  const dist = wasmDirectory()
  try {
    if (dist) setWasmPaths(`${dist}/`)
    if (await tf.setBackend('wasm')) {
      await tf.ready()
      return 'wasm'
    }
    log('TensorFlow.js: the wasm backend did not start; training on the slower cpu backend')
  } catch (error) {
    log(`TensorFlow.js: the wasm backend failed (${error instanceof Error ? error.message : String(error)}); training on the slower cpu backend`)
  }
  await tf.setBackend('cpu')
  await tf.ready()
  return 'cpu'
}

/** Starts TensorFlow.js once per thread; later calls get the same backend. */
export function ensureBackend(log: (message: string) => void = console.warn): Promise<TfBackend> {
  ready ??= initialise(log)
  return ready
}
