import sharp from 'sharp'
import { describe, expect, it } from 'vitest'
import type { ModelMetadata } from '@/nodes/_lib/models/metadata'
import { toErrorResponse } from '@/server/http/errors'
import { tinyClassifierMetadata } from '@/test/harness/onnx-models'
import { checkRecordsModel, decodeImageForm, decodeImageUpload, decodeRecords, encodePredictions, inRecordOrder } from './records'

/** Odd column names, as datasets have them: spaces, brackets, quotes, unicode, a JS-special one. */
const tabular: ModelMetadata = {
  task: 'classification',
  label: 'species',
  labels: ['small', 'large'],
  features: [
    { name: 'size [cm]', kind: 'number' },
    { name: 'noise "n"', kind: 'number' },
    { name: 'Farbe (ü)', kind: 'category', categories: ['rot', 'blau'] },
    { name: '__proto__', kind: 'category', categories: ['x'] },
  ],
  inputs: [
    { name: 'size [cm]', type: 'float32', shape: ['N', 1] },
    { name: 'noise "n"', type: 'float32', shape: ['N', 1] },
    { name: 'Farbe (ü)', type: 'string', shape: ['N', 1] },
    { name: '__proto__', type: 'string', shape: ['N', 1] },
  ],
  outputs: [
    { name: 'label', type: 'string', shape: ['N'] },
    { name: 'probabilities', type: 'float32', shape: ['N', 2] },
  ],
  algorithm: 'test',
}

const imageModel: ModelMetadata = {
  task: 'classification',
  label: 'label',
  labels: ['plain', 'striped'],
  features: [{ name: 'image', kind: 'image', width: 16, height: 16 }],
  inputs: [{ name: 'image', type: 'uint8', shape: ['N', 'H', 'W', 3] }],
  outputs: [{ name: 'probabilities', type: 'float32', shape: ['N', 2] }],
  algorithm: 'cnn',
}

/** A record from JSON text, as the route receives it (JSON.parse keeps "__proto__" as a column). */
function records(json: string): unknown {
  return JSON.parse(json) as unknown
}

async function refusal(body: unknown, metadata: ModelMetadata = tabular, limits = {}): Promise<string> {
  try {
    await decodeRecords(body, metadata, limits)
  } catch (error) {
    const answer = toErrorResponse(error)
    expect(answer.status).toBe(400)
    return answer.body.error
  }
  throw new Error('the records were accepted')
}

async function png(width: number, height: number, channels: 1 | 3 | 4 = 3, fill = (i: number) => (i * 37) % 256): Promise<{ bytes: Buffer; pixels: Uint8Array }> {
  const pixels = Uint8Array.from({ length: width * height * channels }, (_, i) => fill(i))
  const bytes = await sharp(Buffer.from(pixels), { raw: { width, height, channels } }).png().toBuffer()
  return { bytes, pixels }
}

describe('decodeRecords for a tabular model', () => {
  it('reads cells by the shared rules: numeric text, booleans, nulls, mixed types', async () => {
    const body = records(`{ "records": [
      { "size [cm]": 12.5, "noise \\"n\\"": " 1e3 ", "Farbe (ü)": "rot", "__proto__": "x" },
      { "size [cm]": null, "noise \\"n\\"": "abc", "Farbe (ü)": null, "__proto__": 3 },
      { "size [cm]": true, "noise \\"n\\"": [1], "Farbe (ü)": { "a": 1 }, "__proto__": false }
    ] }`)
    const decoded = await decodeRecords(body, tabular)
    expect(decoded.groups).toHaveLength(1)
    const { rows, feeds } = decoded.groups[0]!
    expect(rows).toEqual([0, 1, 2])
    expect(feeds['size [cm]']).toEqual({ type: 'float32', data: new Float32Array([12.5, Number.NaN, 1]), dims: [3, 1] })
    expect(feeds['noise "n"']!.data).toEqual(new Float32Array([1000, Number.NaN, Number.NaN]))
    expect(feeds['Farbe (ü)']).toEqual({ type: 'string', data: ['rot', '', ''], dims: [3, 1] })
    expect(Object.hasOwn(feeds, '__proto__')).toBe(true)
    expect(feeds['__proto__']!.data).toEqual(['x', '3', 'false'])
    expect(JSON.stringify(decoded.raw)).toBe(
      JSON.stringify([
        { 'size [cm]': 12.5, 'noise "n"': 1000, 'Farbe (ü)': 'rot', ['__proto__']: 'x' },
        { 'size [cm]': null, 'noise "n"': null, 'Farbe (ü)': null, ['__proto__']: '3' },
        { 'size [cm]': 1, 'noise "n"': null, 'Farbe (ü)': null, ['__proto__']: 'false' },
      ]),
    )
    expect(Object.hasOwn(decoded.raw[0]!, '__proto__')).toBe(true)
    expect(decoded.ignored).toEqual([])
  })

  it('keeps numbers as float32 holds them in the raw values', async () => {
    const decoded = await decodeRecords(records('{ "records": [{ "size [cm]": 0.1, "noise \\"n\\"": 0, "Farbe (ü)": "blau", "__proto__": null }] }'), tabular)
    expect(decoded.raw[0]!['size [cm]']).toBe(Math.fround(0.1))
  })

  it('refuses a record without a feature column, naming the record and the column', async () => {
    const body = records(`{ "records": [
      { "size [cm]": 1, "noise \\"n\\"": 2, "Farbe (ü)": "rot", "__proto__": "x" },
      { "size": 1, "noise \\"n\\"": 2, "Farbe (ü)": "rot", "__proto__": "x" }
    ] }`)
    expect(await refusal(body)).toBe('records[1] has no column "size [cm]"; the model reads "size [cm]", "noise \\"n\\"", "Farbe (ü)", "__proto__". Send null for a missing value.')
    const answer = toErrorResponse(await decodeRecords({ records: [{}, {}] }, tabular).catch((e: unknown) => e))
    expect(answer.body.error).toMatch(/^records\[0\] has no column "size \[cm\]" \(and 7 more like it\)/)
    expect(answer.body.issues).toHaveLength(8)
    expect(answer.body.issues![6]!.path).toBe('records[1]."Farbe (ü)"')
  })

  it('ignores extra columns and says which', async () => {
    const row = { 'size [cm]': 1, 'noise "n"': 2, 'Farbe (ü)': 'rot' }
    const decoded = await decodeRecords({ records: [{ ...row, species: 'small', id: 7 }, { ...row, 'size[cm]': 3 }] }, {
      ...tabular,
      features: tabular.features.filter((f) => f.name !== '__proto__'),
      inputs: tabular.inputs.filter((i) => i.name !== '__proto__'),
    })
    expect(decoded.ignored).toEqual(['species', 'id', 'size[cm]'])
    expect(decoded.groups[0]!.feeds['size [cm]']!.data).toEqual(new Float32Array([1, 1]))
  })

  it('takes 1 to 1000 records', async () => {
    expect(await refusal({ records: [] })).toBe('records: send at least one record')
    const row = (i: number) => `{ "size [cm]": ${i}, "noise \\"n\\"": 2, "Farbe (ü)": "rot", "__proto__": "x" }`
    const list = (n: number) => records(`{ "records": [${Array.from({ length: n }, (_, i) => row(i)).join(',')}] }`)
    expect(await refusal(list(1001))).toBe('records: send at most 1000 records a request')
    const many = await decodeRecords(list(1000), tabular)
    expect(many.groups[0]!.feeds['size [cm]']!.dims).toEqual([1000, 1])
  })

  it('refuses bodies that are not records, and numbers float32 cannot hold', async () => {
    expect(await refusal([{ a: 1 }])).toMatch(/^\(body\): /)
    expect(await refusal({ records: [[1, 2]] })).toBe('records.0: each record must be an object of column → value')
    expect(await refusal(records('{ "records": [{ "size [cm]": 1e39, "noise \\"n\\"": 2, "Farbe (ü)": "rot", "__proto__": "x" }] }'))).toBe('records[0]."size [cm]" is 1e+39, beyond what the model\'s float32 input holds (±3.4e38).')
  })

  it('refuses a model whose inputs are not its columns', async () => {
    expect(() => checkRecordsModel(tabular)).not.toThrow()
    expect(() => checkRecordsModel({ ...tabular, inputs: [...tabular.inputs, { name: 'extra', type: 'float32', shape: ['N', 1] }] })).toThrow(
      'This model cannot take records: its input "extra" is not a feature column. Send tensors to /v2/models/{name}/infer instead.',
    )
    expect(await refusal({ records: [{ features: 1 }] }, tinyClassifierMetadata())).toBe(
      'This model cannot take records: its feature "features" needs an input float32 [N, 1], and the model has float32 [N, 2]. Send tensors to /v2/models/{name}/infer instead.',
    )
  })
})

describe('decodeRecords for an image model', () => {
  it('decodes base64 and data URLs to RGB, one group per image size, in record order', async () => {
    const a = await png(5, 4)
    const b = await png(3, 2)
    const c = await png(5, 4, 3, (i) => 255 - (i % 256))
    const body = {
      records: [
        { image: a.bytes.toString('base64') },
        { image: `data:image/png;base64,${b.bytes.toString('base64')}`, note: 'x' },
        { image: c.bytes.toString('base64').replace(/(.{60})/g, '$1\n') },
      ],
    }
    const decoded = await decodeRecords(body, imageModel)
    expect(decoded.groups.map((g) => [g.rows, g.feeds.image!.dims])).toEqual([
      [[0, 2], [2, 4, 5, 3]],
      [[1], [1, 2, 3, 3]],
    ])
    const first = decoded.groups[0]!.feeds.image!.data as Uint8Array
    expect(first.subarray(0, 60)).toEqual(a.pixels)
    expect(first.subarray(60)).toEqual(c.pixels)
    expect(decoded.groups[1]!.feeds.image!.data).toEqual(b.pixels)
    expect(decoded.raw).toEqual([{ image: { width: 5, height: 4 } }, { image: { width: 3, height: 2 } }, { image: { width: 5, height: 4 } }])
    expect(decoded.ignored).toEqual(['note'])
  })

  it('drops alpha and turns grey into RGB, as training decodes', async () => {
    const rgba = await png(2, 1, 4, (i) => [10, 20, 30, 128, 40, 50, 60, 255][i]!)
    const grey = await png(2, 1, 1, (i) => [7, 200][i]!)
    const decoded = await decodeRecords({ records: [{ image: rgba.bytes.toString('base64') }, { image: grey.bytes.toString('base64') }] }, imageModel)
    expect(decoded.groups[0]!.feeds.image!.data).toEqual(new Uint8Array([10, 20, 30, 40, 50, 60, 7, 7, 7, 200, 200, 200]))
  })

  it('refuses bad base64, a non-image, a missing image and too many pixels, naming the record', async () => {
    const ok = (await png(4, 4)).bytes.toString('base64')
    expect(await refusal({ records: [{ image: ok }, { image: 'not base64!' }] }, imageModel)).toBe('records[1].image is not valid base64 (it has "!").')
    expect(await refusal({ records: [{ image: Buffer.from('hello, world').toString('base64') }] }, imageModel)).toMatch(/^records\[0\]\.image is not an image this server can read \(PNG, JPEG/)
    expect(await refusal({ records: [{ image: null }] }, imageModel)).toBe('records[0].image must be an image as base64 text (raw or a data:image/…;base64, URL), not null.')
    expect(await refusal({ records: [{ image: 'data:image/png,abc' }] }, imageModel)).toBe('records[0].image is a data: URL without ";base64"; send the image base64-encoded.')
    expect(await refusal({ records: [{ image: '' }] }, imageModel)).toBe('records[0].image is empty; send the image as base64 text.')
    const big = (await png(100, 60)).bytes.toString('base64')
    expect(await refusal({ records: [{ image: ok }, { image: big }] }, imageModel, { maxImagePixels: 5000 })).toBe('records[1].image is 100×60 = 6000 pixels; this server takes at most 5000 pixels an image.')
    expect(await refusal({ records: [{ image: big }, { image: big }] }, imageModel, { maxTotalPixels: 10_000 })).toBe('records[1].image (100×60) brings the request past 10000 pixels in all; send fewer or smaller images.')
  })

  it('refuses an image of another size when the model fixes its size', async () => {
    const fixed: ModelMetadata = { ...imageModel, inputs: [{ name: 'image', type: 'uint8', shape: ['N', 16, 16, 3] }] }
    expect(await refusal({ records: [{ image: (await png(5, 4)).bytes.toString('base64') }] }, fixed)).toBe('records[0].image is 5×4, but the model takes 16×16 images only.')
  })
})

describe('image uploads (multipart/form-data)', () => {
  it('reads each file of the "image" field as a record', async () => {
    const a = await png(5, 4)
    const b = await png(3, 2)
    const form = new FormData()
    form.append('image', new File([new Uint8Array(a.bytes)], 'a.png', { type: 'image/png' }))
    form.append('image', new File([new Uint8Array(b.bytes)], 'b.png', { type: 'image/png' }))
    form.append('caption', 'ignored')
    const request = new Request('http://localhost/v1/models/m/predict', { method: 'POST', body: form })
    const decoded = await decodeImageUpload(request, imageModel)
    expect(decoded.groups.map((g) => g.rows)).toEqual([[0], [1]])
    expect(decoded.groups[1]!.feeds.image!.data).toEqual(b.pixels)
    expect(decoded.ignored).toEqual(['caption'])
  })

  it('refuses an upload without images, a file that is no image, and a body that is no form', async () => {
    const message = (p: Promise<unknown>) => p.then(() => 'accepted', (e: unknown) => toErrorResponse(e).body.error)
    const empty = new FormData()
    empty.append('picture', new File([new Uint8Array([1])], 'x.png'))
    expect(await message(decodeImageForm(empty, imageModel))).toBe('The upload has no "image" field; send each picture as a file in an "image" field.')
    const junk = new FormData()
    junk.append('image', new File([new Uint8Array((await png(2, 2)).bytes)], 'ok.png'))
    junk.append('image', new File([new TextEncoder().encode('text')], 'x.png'))
    expect(await message(decodeImageForm(junk, imageModel))).toMatch(/^File 2 of "image" \("x.png"\) is not an image this server can read/)
    expect(await message(decodeImageForm(junk, tabular))).toBe('This model takes records of columns, not image uploads; send JSON { "records": [...] }.')
    const notForm = new Request('http://localhost/', { method: 'POST', body: '{}', headers: { 'content-type': 'application/json' } })
    expect(await message(decodeImageUpload(notForm, imageModel))).toMatch(/^The body is not a multipart\/form-data upload: /)
  })
})

describe('encodePredictions', () => {
  it('reads a classifier: its own label output, scores by label', () => {
    const outputs = {
      label: { type: 'string', data: ['large', 'small'], dims: [2] },
      probabilities: { type: 'float32', data: new Float32Array([0.25, 0.75, 0.9, 0.1]), dims: [2, 2] },
    }
    expect(encodePredictions(outputs, tabular, [0, 1])).toEqual([
      { label: 'large', scores: { small: 0.25, large: 0.75 } },
      { label: 'small', scores: { small: Math.fround(0.9), large: Math.fround(0.1) } },
    ])
  })

  it('takes the most probable label without a label output, and a stand-in for an imported model', () => {
    const outputs = { output_probability: { type: 'float32', data: new Float32Array([0.2, 0.8]), dims: [1, 2] } }
    expect(encodePredictions(outputs, { task: 'classification', labels: ['a', 'b'] }, [3])).toEqual([{ label: 'b', scores: { a: Math.fround(0.2), b: Math.fround(0.8) } }])
    expect(encodePredictions(outputs, { task: 'classification' }, [3])).toEqual([{ label: '1', scores: { 0: Math.fround(0.2), 1: Math.fround(0.8) } }])
  })

  it('reads a regressor, NaN as null, and puts groups back in record order', () => {
    const first = encodePredictions({ prediction: { type: 'float32', data: new Float32Array([1.5, Number.NaN]), dims: [2, 1] } }, { task: 'regression' }, [0, 2])
    const second = encodePredictions({ prediction: { type: 'float32', data: new Float32Array([-3]), dims: [1, 1] } }, { task: 'regression' }, [1])
    expect(inRecordOrder([{ rows: [0, 2], predictions: first }, { rows: [1], predictions: second }])).toEqual([{ value: 1.5 }, { value: -3 }, { value: null }])
  })

  it('says what is wrong when the model gives nothing it can read', () => {
    expect(() => encodePredictions({ label: { type: 'string', data: ['a'], dims: [1] } }, { task: 'regression' }, [0])).toThrow('the model has no "prediction" output, nor another float output to read; it gives "label"')
  })
})
