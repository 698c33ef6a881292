// One onnxruntime-node session in a worker thread. Plain JavaScript with a single dependency, so the
// thread starts fast and needs no TypeScript loader (under the Next.js server nothing registers
// one). onnxruntime-node's `run` is a synchronous native call: here it blocks this thread only,
// while the main thread reads the next batch or answers requests. Messages: see protocol.ts.
import { parentPort, workerData } from 'node:worker_threads'
import ort from 'onnxruntime-node'

function describe(metadata) {
  return metadata.map((m) => ({ name: m.name, isTensor: m.isTensor, type: m.type ?? null, shape: m.shape ?? null }))
}

function toTensor(feed) {
  return new ort.Tensor(feed.type, feed.data, feed.dims)
}

/** An output as plain data; typed arrays are moved to the main thread, not copied. */
function fromTensor(tensor, transfer) {
  const data = tensor.data
  if (ArrayBuffer.isView(data) && data.buffer instanceof ArrayBuffer && !transfer.includes(data.buffer)) transfer.push(data.buffer)
  return { type: tensor.type, data, dims: [...tensor.dims] }
}

let session
try {
  const source = workerData.modelPath ?? new Uint8Array(workerData.modelBytes)
  session = await ort.InferenceSession.create(source, workerData.sessionOptions ?? {})
  parentPort.postMessage({
    type: 'ready',
    inputs: describe(session.inputMetadata ?? []),
    outputs: describe(session.outputMetadata ?? []),
    inputNames: session.inputNames,
    outputNames: session.outputNames,
  })
} catch (error) {
  parentPort.postMessage({ type: 'load-failed', message: error instanceof Error ? error.message : String(error) })
}

// one message at a time, in order: a release waits for the runs sent before it
let queue = Promise.resolve()
parentPort.on('message', (message) => {
  queue = queue.then(() => handle(message))
})

async function handle(message) {
  if (message.type === 'release') {
    await session?.release().catch(() => undefined)
    process.exit(0)
  }
  try {
    // fromEntries, so a column named "__proto__" stays an input of its own
    const feeds = Object.fromEntries(Object.entries(message.feeds).map(([name, feed]) => [name, toTensor(feed)]))
    const result = await session.run(feeds)
    const transfer = []
    const outputs = Object.fromEntries(Object.entries(result).map(([name, tensor]) => [name, fromTensor(tensor, transfer)]))
    parentPort.postMessage({ type: 'result', id: message.id, outputs }, transfer)
  } catch (error) {
    parentPort.postMessage({ type: 'run-failed', id: message.id, message: error instanceof Error ? error.message : String(error) })
  }
}
