// Puts TensorFlow.js on its WASM backend in Node. The WASM backend lacks Conv2DBackpropFilter,
// which is why the CNN convolves with im2col + matMul (see cnn-graph.ts); everything that graph
// needs (matMul, maxPool and its gradient, pad, slice, concat) has a WASM kernel.
import { createRequire } from 'node:module'
import { dirname } from 'node:path'
import * as tf from '@tensorflow/tfjs'
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm'

let ready: Promise<void> | undefined

/** Emscripten's loader in Node reads the .wasm file from a path; point it at the package's dist/. */
function wasmDirectory(): string {
  const require = createRequire(import.meta.url)
  return `${dirname(require.resolve('@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm'))}/`
}

export function useWasmBackend(): Promise<void> {
  ready ??= (async () => {
    setWasmPaths(wasmDirectory())
    if (!(await tf.setBackend('wasm'))) throw new Error('TensorFlow.js could not start its WASM backend')
    await tf.ready()
  })()
  return ready
}
