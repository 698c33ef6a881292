import ort from 'onnxruntime-node'
import { describe, expect, it } from 'vitest'
import type { TensorSignature } from '@/nodes/_lib/models/metadata'
import { inThisThread } from '@/nodes/_lib/models/session-thread/session-thread'
import packageJson from '@/package.json'
import { toErrorResponse } from '@/server/http/errors'
import { tinyClassifier, tinyClassifierMetadata } from '@/test/harness/onnx-models'
import { decodeInferRequest, encodeInferResponse, modelMetadataResponse, serverMetadata, v2Error, type ModelSignature } from './v2'

/** The spec's example model, in Pipewright's types: UINT32 is not one, so input0 is INT32 here. */
const specModel: ModelSignature = {
  inputs: [
    { name: 'input0', type: 'int32', shape: [2, 2] },
    { name: 'input1', type: 'bool', shape: ['N'] },
  ],
  outputs: [{ name: 'output0', type: 'float32', shape: [3, 2] }],
}

const tiny = tinyClassifierMetadata()
const tinySignature: ModelSignature = { inputs: tiny.inputs, outputs: tiny.outputs }

function features(data: unknown, shape: number[] = [2, 2], datatype = 'FP32') {
  return { inputs: [{ name: 'features', shape, datatype, data }] }
}

/** The message a client gets, as the route's error mapping answers it. */
function refusal(body: unknown, signature: ModelSignature = tinySignature, options = {}): string {
  try {
    decodeInferRequest(body, signature, options)
  } catch (error) {
    const answer = toErrorResponse(error)
    expect(answer.status).toBe(400)
    return answer.body.error
  }
  throw new Error('the request was accepted')
}

describe('decodeInferRequest', () => {
  it("reads the spec's example request (adapted to INT32 and a 3-element BOOL)", () => {
    const decoded = decodeInferRequest(
      {
        id: '42',
        inputs: [
          { name: 'input0', shape: [2, 2], datatype: 'INT32', data: [1, 2, 3, 4] },
          { name: 'input1', shape: [3], datatype: 'BOOL', data: [true, false, true] },
        ],
        outputs: [{ name: 'output0' }],
      },
      specModel,
    )
    expect(decoded.id).toBe('42')
    expect(decoded.requestedOutputs).toEqual(['output0'])
    expect(decoded.feeds.input0).toEqual({ type: 'int32', data: new Int32Array([1, 2, 3, 4]), dims: [2, 2] })
    expect(decoded.feeds.input1).toEqual({ type: 'bool', data: new Uint8Array([1, 0, 1]), dims: [3] })
  })

  it("refuses the spec's example as printed: BOOL data [true] for shape [3]", () => {
    const body = {
      id: '42',
      inputs: [
        { name: 'input0', shape: [2, 2], datatype: 'INT32', data: [1, 2, 3, 4] },
        { name: 'input1', shape: [3], datatype: 'BOOL', data: [true] },
      ],
    }
    expect(refusal(body, specModel)).toBe('Input "input1" has 1 element in data, but its shape [3] needs 3.')
  })

  it('takes nested data in row-major order, and float32 values as float32 rounds them', () => {
    const flat = decodeInferRequest(features([0.1, 2, 3, 4]), tinySignature).feeds.features!
    const nested = decodeInferRequest(features([[0.1, 2], [3, 4]]), tinySignature).feeds.features!
    expect(nested).toEqual(flat)
    expect(flat.data).toEqual(new Float32Array([0.1, 2, 3, 4]))
    expect(decodeInferRequest(features([[0.1, 2, 3, 4]], [1, 4]), { inputs: [{ name: 'features', type: 'float32', shape: [1, 4] }], outputs: [] }).feeds.features!.dims).toEqual([1, 4])
  })

  it('maps each datatype to the array onnxruntime-node takes', () => {
    const signature: ModelSignature = {
      inputs: [
        { name: 'a', type: 'int64', shape: ['N'] },
        { name: 'b', type: 'string', shape: ['N'] },
        { name: 'c', type: 'uint8', shape: ['N'] },
        { name: 'd', type: 'float64', shape: ['N'] },
      ],
      outputs: [],
    }
    const { feeds } = decodeInferRequest(
      {
        inputs: [
          { name: 'a', shape: [2], datatype: 'INT64', data: [-9007199254740991, 7] },
          { name: 'b', shape: [2], datatype: 'BYTES', data: ['größe [cm]', ''] },
          { name: 'c', shape: [2], datatype: 'UINT8', data: [0, 255] },
          { name: 'd', shape: [2], datatype: 'FP64', data: [0.1, -1e300] },
        ],
      },
      signature,
    )
    expect(feeds.a!.data).toEqual(new BigInt64Array([-9007199254740991n, 7n]))
    expect(feeds.b!.data).toEqual(['größe [cm]', ''])
    expect(feeds.c!.data).toEqual(new Uint8Array([0, 255]))
    expect(feeds.d!.data).toEqual(new Float64Array([0.1, -1e300]))
  })

  it('names an unknown input and lists the model’s', () => {
    expect(refusal({ inputs: [{ name: 'feature', shape: [1, 2], datatype: 'FP32', data: [1, 2] }] })).toBe('The model has no input "feature"; its inputs are "features".')
  })

  it('names a missing input', () => {
    const body = { inputs: [{ name: 'input0', shape: [2, 2], datatype: 'INT32', data: [1, 2, 3, 4] }] }
    expect(refusal(body, specModel)).toBe('The request lacks the model\'s input "input1"; its inputs are "input0", "input1".')
  })

  it('refuses an input given twice', () => {
    const input = { name: 'features', shape: [1, 2], datatype: 'FP32', data: [1, 2] }
    expect(refusal({ inputs: [input, input] })).toBe('Input "features" is given twice.')
  })

  it('says both datatypes when they differ', () => {
    expect(refusal(features([1, 2, 3, 4], [2, 2], 'FP64'))).toBe('Input "features" has datatype FP64, but the model takes FP32 for it.')
  })

  it('refuses a datatype the spec does not have, through the schema', () => {
    expect(refusal(features([1, 2, 3, 4], [2, 2], 'FLOAT'))).toMatch(/^inputs\.0\.datatype: /)
  })

  it('refuses a wrong rank and a wrong fixed dimension', () => {
    expect(refusal(features([1, 2], [2]))).toBe("Input \"features\" has shape [2] (1 dimension), but the model's is [N, 2] (2 dimensions).")
    expect(refusal(features([1, 2, 3], [1, 3]))).toBe('Input "features" has 3 at dimension 1 of shape [1, 3], but the model fixes it at 2 ([N, 2]).')
  })

  it('needs one size for a named dynamic dimension across inputs', () => {
    const signature: ModelSignature = {
      inputs: [
        { name: 'size [cm]', type: 'float32', shape: ['N', 1] },
        { name: 'colour', type: 'string', shape: ['N', 1] },
      ],
      outputs: [],
    }
    const body = {
      inputs: [
        { name: 'size [cm]', shape: [2, 1], datatype: 'FP32', data: [1, 2] },
        { name: 'colour', shape: [3, 1], datatype: 'BYTES', data: ['a', 'b', 'c'] },
      ],
    }
    expect(refusal(body, signature)).toBe('Input "colour" has N = 3 (dimension 0), but input "size [cm]" has N = 2; the model needs them equal.')
  })

  it('refuses data whose length is not the product of the shape', () => {
    expect(refusal(features([1, 2, 3], [2, 2]))).toBe('Input "features" has 3 elements in data, but its shape [2, 2] needs 4.')
    expect(refusal(features([1, 2, 3, 4, 5], [2, 2]))).toBe('Input "features" has 5 elements in data, but its shape [2, 2] needs 4.')
  })

  it('refuses nested data that does not follow the shape', () => {
    expect(refusal(features([[1, 2, 3], [4]]))).toBe('Input "features": data[0] has 3 elements, but shape [2, 2] needs 2 there.')
    expect(refusal(features([[1, 2], 3, 4]))).toBe('Input "features": data has 3 arrays, but shape [2, 2] needs 2 there.')
    expect(refusal(features([[1, 2], [3, [4]]]))).toBe('Input "features": data[1][1] mixes arrays and elements at one level.')
    expect(refusal(features([[[1, 2]], [[3, 4]]]))).toBe('Input "features": data[0] nests deeper than its shape [2, 2] has dimensions.')
  })

  it('refuses an element of the wrong kind, and numeric text in a number tensor', () => {
    expect(refusal(features([1, '2', 3, 4]))).toBe('Input "features": element 1 (row-major) is the text "2", but this tensor takes numbers as JSON values, not text.')
    expect(refusal(features([1, 2, null, 4]))).toBe('Input "features": element 2 (row-major) is null, but this tensor takes numbers.')
    expect(refusal(features([[1, 2], [true, 4]]))).toBe('Input "features": element 2 (row-major) is the boolean true, but this tensor takes numbers.')
    expect(refusal({ inputs: [{ name: 'input0', shape: [2, 2], datatype: 'INT32', data: [1, 2, 3, 4] }, { name: 'input1', shape: [1], datatype: 'BOOL', data: [1] }] }, specModel)).toBe(
      'Input "input1": element 0 (row-major) is the number 1, but this tensor takes booleans (true or false).',
    )
  })

  it('refuses NaN and Infinity, as text or as values', () => {
    expect(refusal(features(['NaN', 2, 3, 4]))).toBe('Input "features": element 0 (row-major) is the text "NaN", but this tensor takes numbers as JSON values, not text.')
    expect(refusal(features([1, 2, 3, Number.POSITIVE_INFINITY]))).toBe('Input "features": element 3 (row-major) is Infinity; JSON cannot carry NaN or Infinity.')
    expect(refusal(features([Number.NaN, 2, 3, 4]))).toBe('Input "features": element 0 (row-major) is NaN; JSON cannot carry NaN or Infinity.')
  })

  it('refuses integers out of range and fractions in an integer tensor', () => {
    const int32 = (data: unknown[]) => ({ inputs: [{ name: 'input0', shape: [2, 2], datatype: 'INT32', data }, { name: 'input1', shape: [1], datatype: 'BOOL', data: [true] }] })
    expect(refusal(int32([1, 2, 3, 2 ** 31]), specModel)).toBe('Input "input0": element 3 (row-major) is 2147483648, out of range (INT32 holds −2147483648…2147483647).')
    expect(refusal(int32([1.5, 2, 3, 4]), specModel)).toBe('Input "input0": element 0 (row-major) is 1.5, not an integer.')
    const uint8: ModelSignature = { inputs: [{ name: 'image', type: 'uint8', shape: [1, 1, 1, 3] }], outputs: [] }
    expect(refusal({ inputs: [{ name: 'image', shape: [1, 1, 1, 3], datatype: 'UINT8', data: [0, 256, 0] }] }, uint8)).toBe('Input "image": element 1 (row-major) is 256, out of range (UINT8 holds 0…255).')
    const int64: ModelSignature = { inputs: [{ name: 'id', type: 'int64', shape: [1] }], outputs: [] }
    expect(refusal({ inputs: [{ name: 'id', shape: [1], datatype: 'INT64', data: [2 ** 53] }] }, int64)).toMatch(/within ±\(2\^53 − 1\)/)
    expect(refusal(features([1, 2, 3, 1e39]))).toBe('Input "features": element 3 (row-major) is 1e+39, beyond the float32 range (±3.4e38).')
  })

  it('names a requested output the model does not have', () => {
    expect(refusal({ ...features([1, 2, 3, 4]), outputs: [{ name: 'label' }] })).toBe('The model has no output "label"; its outputs are "probabilities".')
  })

  it('refuses too many elements before reading them', () => {
    expect(refusal(features([], [6_000_000, 2]))).toBe('The request has too many elements: input "features" alone has [6000000, 2] = 12000000; this server takes at most 10000000 per request.')
    expect(refusal(features([1, 2, 3, 4]), tinySignature, { maxElements: 3 })).toMatch(/at most 3 per request/)
  })

  it('refuses bodies that are not an inference request, saying where', () => {
    expect(refusal(null)).toMatch(/^\(body\): /)
    expect(refusal({ inputs: [] })).toMatch(/^inputs: /)
    expect(refusal({ inputs: [{ name: 'features', shape: [-1, 2], datatype: 'FP32', data: [] }] })).toMatch(/^inputs\.0\.shape\.0: /)
    expect(refusal({ inputs: [{ name: 'features', shape: [1, 2], datatype: 'FP32', data: '1,2' }] })).toBe("inputs.0.data: data must be an array of the tensor's elements (flat or nested, row-major)")
    expect(refusal({ inputs: [{ name: 'features', shape: [1, 2], datatype: 'FP32', data: [1, 2], parameters: { binary_data_size: 8 } }] })).toMatch(/^Input "features" says binary_data_size, but the request has no binary part: send the header Inference-Header-Content-Length/)
    expect(refusal({ inputs: [{ name: 'features', shape: [1, 2], datatype: 'FP32' }] })).toBe('Input "features" has no "data": send its elements as a JSON array (or as binary data with binary_data_size).')
  })
})

describe('encodeInferResponse', () => {
  it("gives the spec's example response shape", () => {
    const response = encodeInferResponse({
      modelName: 'mymodel',
      modelVersion: '3',
      id: '42',
      outputs: { output0: { type: 'float32', data: new Float32Array([1, 1.5, 2, 2.5, 3, 3.5]), dims: [3, 2] }, other: { type: 'int64', data: new BigInt64Array([5n]), dims: [1] } },
      requestedOutputs: ['output0'],
    })
    expect(response).toEqual({ model_name: 'mymodel', model_version: '3', id: '42', outputs: [{ name: 'output0', shape: [3, 2], datatype: 'FP32', data: [1, 1.5, 2, 2.5, 3, 3.5] }] })
  })

  it('keeps float32 values exactly, writes int64 as numbers, bool as booleans, and non-finite values as null', () => {
    const response = encodeInferResponse({
      modelName: 'm',
      outputs: {
        p: { type: 'float32', data: new Float32Array([0.1, Number.NaN]), dims: [2] },
        n: { type: 'int64', data: new BigInt64Array([-3n, 9007199254740991n]), dims: [2] },
        b: { type: 'bool', data: new Uint8Array([1, 0]), dims: [2] },
        s: { type: 'string', data: ['small', 'größer'], dims: [2] },
        h: { type: 'float16', data: new Uint16Array([0x3c00, 0xc000]), dims: [2] },
      },
    })
    const json = JSON.parse(JSON.stringify(response)) as { outputs: { name: string; datatype: string; data: unknown[] }[]; id?: string }
    expect(json.id).toBeUndefined()
    expect(json.outputs.map((o) => [o.name, o.datatype, o.data])).toEqual([
      ['p', 'FP32', [Math.fround(0.1), null]],
      ['n', 'INT64', [-3, 9007199254740991]],
      ['b', 'BOOL', [true, false]],
      ['s', 'BYTES', ['small', 'größer']],
      ['h', 'FP16', [1, -2]],
    ])
    expect(Math.fround(0.1)).toBe(0.10000000149011612)
  })
})

describe('metadata answers', () => {
  it('describes a model with dynamic dimensions as -1', () => {
    expect(modelMetadataResponse('penguins', ['1', '2'], tinySignature)).toEqual({
      name: 'penguins',
      versions: ['1', '2'],
      platform: 'onnxruntime_onnx',
      inputs: [{ name: 'features', datatype: 'FP32', shape: [-1, 2] }],
      outputs: [{ name: 'probabilities', datatype: 'FP32', shape: [-1, 3] }],
    })
  })

  it('describes the server, and errors as the spec has them', () => {
    expect(serverMetadata()).toEqual({ name: 'pipewright', version: packageJson.version, extensions: [] })
    expect(serverMetadata(['records']).extensions).toEqual(['records'])
    expect(v2Error('no such model')).toEqual({ error: 'no such model' })
  })
})

describe('a round trip through a real onnxruntime-node session', () => {
  it('answers what a direct session run gives, value for value', async () => {
    const session = await ort.InferenceSession.create(tinyClassifier())
    const runner = inThisThread(session)
    try {
      const rows = [
        [0.25, -1.5],
        [3, 0.1],
        [-2, 2],
      ]
      const body = { id: 'r-1', inputs: [{ name: 'features', shape: [3, 2], datatype: 'FP32', data: rows }], outputs: [{ name: 'probabilities' }] }
      const decoded = decodeInferRequest(JSON.parse(JSON.stringify(body)), { inputs: tiny.inputs, outputs: tiny.outputs as TensorSignature[] })
      const outputs = await runner.run(decoded.feeds)
      const response = JSON.parse(JSON.stringify(encodeInferResponse({ modelName: 'tiny', modelVersion: '1', id: decoded.id!, outputs, requestedOutputs: decoded.requestedOutputs! }))) as {
        id: string
        outputs: { name: string; shape: number[]; datatype: string; data: number[] }[]
      }
      const direct = await session.run({ features: new ort.Tensor('float32', Float32Array.from(rows.flat()), [3, 2]) })
      expect(response.id).toBe('r-1')
      expect(response.outputs).toHaveLength(1)
      expect(response.outputs[0]!.shape).toEqual([3, 3])
      expect(response.outputs[0]!.datatype).toBe('FP32')
      expect(Float32Array.from(response.outputs[0]!.data)).toEqual(direct.probabilities!.data)
      expect(response.outputs[0]!.data).toEqual(Array.from(direct.probabilities!.data as Float32Array))
    } finally {
      await runner.release()
    }
  })
})
