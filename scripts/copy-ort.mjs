// `npm run build|dev|start` run this first: onnxruntime-web's wasm build (the ESM module, its
// Emscripten glue and the .wasm binary) copied into public/ort/, so the browser preview loads it
// from the app itself, never from a CDN. Copies only when the installed version changed.
import fs from 'node:fs'
import path from 'node:path'

const dist = path.resolve('node_modules/onnxruntime-web/dist')
const target = path.resolve('public/ort')
// the wasm-only build: the preview needs no WebGL or WebGPU, nor the asyncify/JSPI variants
const files = ['ort.wasm.min.mjs', 'ort-wasm-simd-threaded.mjs', 'ort-wasm-simd-threaded.wasm']

const { version } = JSON.parse(fs.readFileSync(path.join(dist, '..', 'package.json'), 'utf8'))
const stamp = path.join(target, 'VERSION')
const current = fs.existsSync(stamp) ? fs.readFileSync(stamp, 'utf8').trim() : ''
const complete = files.every((file) => fs.existsSync(path.join(target, file)))

if (current !== version || !complete) {
  fs.mkdirSync(target, { recursive: true })
  for (const file of files) {
    const source = path.join(dist, file)
    if (!fs.existsSync(source)) {
      console.error(`onnxruntime-web ${version} has no ${file}: the browser preview cannot load. Run npm install.`)
      process.exit(1)
    }
    fs.copyFileSync(source, path.join(target, file))
  }
  fs.writeFileSync(stamp, `${version}\n`)
  console.log(`Copied onnxruntime-web ${version} (${files.length} files) into public/ort/.`)
}
