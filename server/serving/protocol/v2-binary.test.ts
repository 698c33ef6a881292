// The binary tensor data extension, byte for byte as tritonclient writes it: a JSON header, then
// each binary input's little-endian elements in the order the inputs are listed.
import ort from 'onnxruntime-node'
import { describe, expect, it } from 'vitest'
import { inThisThread } from '@/nodes/_lib/models/session-thread/session-thread'
import { toErrorResponse } from '@/server/http/errors'
import { tinyClassifier, tinyClassifierMetadata } from '@/test/harness/onnx-models'
import { decodeInferRequest, encodeInferAnswer, encodeInferResponse, type ModelSignature } from './v2'
import { binaryAnswer, binaryOutputsWanted, splitBinaryBody } from './v2-binary'

const tiny = tinyClassifierMetadata()
const tinySignature: ModelSignature = { inputs: tiny.inputs, outputs: tiny.outputs }
const mixed: ModelSignature = {
  inputs: [
    { name: 'size [cm]', type: 'float64', shape: ['N', 1] },
    { name: 'colour', type: 'string', shape: ['N', 1] },
    { name: 'image', type: 'uint8', shape: ['N', 2, 2, 1] },
    { name: 'ok', type: 'bool', shape: ['N'] },
    { name: 'count', type: 'int64', shape: ['N'] },
  ],
  outputs: [{ name: 'probabilities', type: 'float32', shape: ['N', 3] }],
}

/** A binary-extension body: the JSON header, then the parts, as a client builds it. */
function binaryBody(header: unknown, parts: Uint8Array[]): { body: Uint8Array; headerLength: string } {
  const json = Buffer.from(JSON.stringify(header))
  return { body: Buffer.concat([json, ...parts]), headerLength: String(json.byteLength) }
}

const bytesOf = (view: ArrayBufferView) => new Uint8Array(view.buffer, view.byteOffset, view.byteLength)

function strings(values: string[]): Uint8Array {
  return Buffer.concat(values.flatMap((v) => {
    const text = Buffer.from(v)
    const length = Buffer.alloc(4)
    length.writeUInt32LE(text.byteLength)
    return [length, text]
  }))
}

function decodeBinary(header: unknown, parts: Uint8Array[], signature: ModelSignature = tinySignature) {
  const { body, headerLength } = binaryBody(header, parts)
  const split = splitBinaryBody(body, headerLength)
  return decodeInferRequest(split.header, signature, { binaryTail: split.tail })
}

function refusal(run: () => unknown): string {
  try {
    run()
  } catch (error) {
    const answer = toErrorResponse(error)
    expect(answer.status).toBe(400)
    return answer.body.error
  }
  throw new Error('the request was accepted')
}

const features = (size: number, extra: Record<string, unknown> = {}) => ({ inputs: [{ name: 'features', shape: [1, 2], datatype: 'FP32', parameters: { binary_data_size: size }, ...extra }] })

describe('binary inference requests', () => {
  it('reads every datatype a Pipewright model takes, a JSON input beside binary ones included', () => {
    const header = {
      id: 'b-1',
      inputs: [
        { name: 'size [cm]', shape: [2, 1], datatype: 'FP64', parameters: { binary_data_size: 16 } },
        { name: 'colour', shape: [2, 1], datatype: 'BYTES', parameters: { binary_data_size: 4 + 3 + 4 + 5 } },
        { name: 'image', shape: [2, 2, 2, 1], datatype: 'UINT8', parameters: { binary_data_size: 8 } },
        { name: 'ok', shape: [2], datatype: 'BOOL', data: [true, false] },
        { name: 'count', shape: [2], datatype: 'INT64', parameters: { binary_data_size: 16 } },
      ],
    }
    const decoded = decodeBinary(header, [bytesOf(new Float64Array([1.5, -2])), strings(['red', 'grün']), new Uint8Array([0, 1, 2, 3, 250, 251, 252, 255]), bytesOf(new BigInt64Array([7n, -9n]))], mixed)
    expect(decoded.id).toBe('b-1')
    expect(decoded.feeds['size [cm]']).toEqual({ type: 'float64', data: new Float64Array([1.5, -2]), dims: [2, 1] })
    expect(decoded.feeds.colour!.data).toEqual(['red', 'grün'])
    expect(decoded.feeds.image!.data).toEqual(new Uint8Array([0, 1, 2, 3, 250, 251, 252, 255]))
    expect(decoded.feeds.ok!.data).toEqual(new Uint8Array([1, 0]))
    expect(decoded.feeds.count!.data).toEqual(new BigInt64Array([7n, -9n]))
  })

  it('answers as onnxruntime-node does, binary in and binary out, equal to the JSON answer', async () => {
    const session = inThisThread(await ort.InferenceSession.create(tinyClassifier()))
    const values = new Float32Array([0.25, -1, 3, 0.5])
    const json = decodeInferRequest({ inputs: [{ name: 'features', shape: [2, 2], datatype: 'FP32', data: Array.from(values) }] }, tinySignature)
    const binary = decodeBinary({ inputs: [{ name: 'features', shape: [2, 2], datatype: 'FP32', parameters: { binary_data_size: 16 } }], parameters: { binary_data_output: true } }, [bytesOf(values)])
    expect(binary.feeds).toEqual(json.feeds)
    const outputs = (await session.run(binary.feeds))
    const wanted = binaryOutputsWanted({ parameters: { binary_data_output: true } })!
    const { response, binaries } = encodeInferAnswer({ modelName: 'tiny', outputs, binaryOutputs: wanted })
    expect(response.outputs[0]).toEqual({ name: 'probabilities', shape: [2, 3], datatype: 'FP32', parameters: { binary_data_size: 24 } })
    const answer = binaryAnswer(response, binaries)
    const back = splitBinaryBody(answer.body, String(answer.headerLength))
    expect(back.header).toEqual(response)
    const probabilities = new Float32Array(new Uint8Array(back.tail).buffer)
    expect(Array.from(probabilities)).toEqual(encodeInferResponse({ modelName: 'tiny', outputs }).outputs[0]!.data)
    await session.release()
  })

  it('moves only the outputs marked binary_data out of the JSON', () => {
    expect(binaryOutputsWanted({ outputs: [{ name: 'label', parameters: { binary_data: true } }, { name: 'probabilities' }] })?.('label')).toBe(true)
    expect(binaryOutputsWanted({ outputs: [{ name: 'label', parameters: { binary_data: true } }, { name: 'probabilities' }] })?.('probabilities')).toBe(false)
    expect(binaryOutputsWanted({ outputs: [{ name: 'label' }] })).toBeNull()
    expect(binaryOutputsWanted(null)).toBeNull()
  })

  it('refuses a header length that is not a byte count inside the body', () => {
    const body = new Uint8Array(10)
    expect(refusal(() => splitBinaryBody(body, 'twelve'))).toMatch(/^Inference-Header-Content-Length must be the byte length of the JSON header, a whole number; it is "twelve"/)
    expect(refusal(() => splitBinaryBody(body, '-1'))).toMatch(/whole number/)
    expect(refusal(() => splitBinaryBody(body, '11'))).toBe('Inference-Header-Content-Length is 11, but the body has only 10 bytes.')
    expect(refusal(() => splitBinaryBody(Buffer.from('{"inputs":'), '10'))).toMatch(/^The inference header is not valid JSON/)
    expect(refusal(() => splitBinaryBody(Buffer.from([0xff, 0xfe]), '2'))).toMatch(/not valid UTF-8/)
    expect(refusal(() => splitBinaryBody(Buffer.from('{"id":"a\\u0000"}'), '16'))).toMatch(/^id: must not contain a NUL/)
  })

  it('refuses binary sizes that disagree with the bytes or the shape, and what JSON would refuse too', () => {
    const two = bytesOf(new Float32Array([1, 2]))
    expect(refusal(() => decodeBinary(features(8), [two, new Uint8Array(3)]))).toBe("11 bytes follow the inference header, but the inputs' binary_data_size add up to 8.")
    expect(refusal(() => decodeBinary(features(12), [two]))).toBe('Input "features" says binary_data_size 12, but only 8 bytes follow the header for it.')
    expect(refusal(() => decodeBinary(features(4), [two.subarray(0, 4)]))).toBe('Input "features" has 4 bytes of binary data, but its shape needs 2 elements × 4 bytes = 8.')
    expect(refusal(() => decodeBinary(features(-8), [two]))).toMatch(/binary_data_size must be a whole number of bytes; it is -8/)
    expect(refusal(() => decodeBinary(features(8, { data: [1, 2] }), [two]))).toBe('Input "features" has both "data" and binary_data_size; send one.')
    expect(refusal(() => decodeBinary(features(8), [bytesOf(new Float32Array([1, Number.NaN]))]))).toBe('Input "features": element 1 (row-major) is NaN; the model takes finite numbers only.')
    expect(refusal(() => decodeBinary(features(8), [bytesOf(new Float32Array([Number.POSITIVE_INFINITY, 1]))]))).toMatch(/element 0 \(row-major\) is Infinity/)
    expect(refusal(() => decodeBinary({ inputs: [{ name: 'features', shape: [1, 2], datatype: 'INT32', parameters: { binary_data_size: 8 } }] }, [two]))).toBe('Input "features" has datatype INT32, but the model takes FP32 for it.')
    const boolHeader = { inputs: [{ name: 'ok', shape: [2], datatype: 'BOOL', parameters: { binary_data_size: 2 } }] }
    const boolModel: ModelSignature = { inputs: [{ name: 'ok', type: 'bool', shape: [2] }], outputs: [] }
    expect(refusal(() => decodeBinary(boolHeader, [new Uint8Array([1, 2])], boolModel))).toBe('Input "ok": element 1 (row-major) is the byte 2; a BOOL element is 0 or 1.')
    const textModel: ModelSignature = { inputs: [{ name: 'colour', type: 'string', shape: [2] }], outputs: [] }
    const textHeader = (size: number) => ({ inputs: [{ name: 'colour', shape: [2], datatype: 'BYTES', parameters: { binary_data_size: size } }] })
    expect(refusal(() => decodeBinary(textHeader(7), [strings(['red'])], textModel))).toBe('Input "colour" has 1 BYTES elements in its binary data, but its shape needs 2.')
    expect(refusal(() => decodeBinary(textHeader(6), [strings(['red']).subarray(0, 6)], textModel))).toBe('Input "colour": element 0 says 3 bytes, but only 2 remain.')
    expect(refusal(() => decodeBinary(textHeader(2), [new Uint8Array(2)], textModel))).toBe('Input "colour": the binary data ends inside the 4-byte length of element 0.')
    expect(refusal(() => decodeBinary(textHeader(5), [Buffer.from([1, 0, 0, 0, 0xff])], textModel))).toBe('Input "colour": element 0 is not valid UTF-8 text.')
  })
})
