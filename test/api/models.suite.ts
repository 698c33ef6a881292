import { createHash } from 'node:crypto'
import { onnx } from '@/nodes/_lib/models/onnx'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createApiToken, createUser } from '@/server/auth/accounts'
import { recordModelMetadata } from '@/server/models/metadata-store'
import { getModelVersion, registerPublishedModel, resolveAlias } from '@/server/models/registry'
import { recordArtifact } from '@/server/artifacts/metadata'
import { closeServices, getServices } from '@/server/services'
import { tinyClassifier, tinyClassifierMetadata } from '../harness/onnx-models'
import { call } from '../harness/routes'

const setupRoute = await import('@/app/api/v1/setup/route')
const modelsRoute = await import('@/app/api/v1/models/route')
const modelRoute = await import('@/app/api/v1/models/[name]/route')
const versionsRoute = await import('@/app/api/v1/models/[name]/versions/route')
const versionRoute = await import('@/app/api/v1/models/[name]/versions/[version]/route')
const contentRoute = await import('@/app/api/v1/models/[name]/versions/[version]/content/route')
const aliasRoute = await import('@/app/api/v1/models/[name]/aliases/[alias]/route')
const artifactContentRoute = await import('@/app/api/v1/artifacts/[artifactId]/content/route')

let token = ''
let viewerToken = ''
const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex')

const importModel = (name: string, body: BodyInit | undefined, query = '', as = token) =>
  call(versionsRoute.POST, 'POST', `/api/v1/models/${encodeURIComponent(name)}/versions${query}`, { name }, { token: as, body })
const getVersion = (name: string, version: string, as = token) =>
  call(versionRoute.GET, 'GET', `/api/v1/models/${name}/versions/${version}`, { name, version }, { token: as })
const moveAlias = (name: string, alias: string, json: unknown) => call(aliasRoute.PUT, 'PUT', `/api/v1/models/${name}/aliases/${alias}`, { name, alias }, { token, json })

/** The model registry over REST, against whatever database the environment names. */
export function modelsApiSuite(backend: string, cleanUp: () => Promise<void> = async () => {}) {
  describe(`the model registry over REST on ${backend}`, () => {
    beforeAll(async () => {
      const setup = await call(setupRoute.POST, 'POST', '/api/v1/setup', {}, { json: { email: 'owner@example.com', password: 'correct horse battery', name: 'Owner' } })
      token = setup.body.token
      const { db } = await getServices()
      const viewer = await createUser(db, { email: 'op@example.com', name: 'Op', role: 'operator', password: 'a fine password' })
      viewerToken = (await createApiToken(db, viewer.id, 'read')).token
    })
    afterAll(async () => {
      await closeServices(await getServices())
      await cleanUp()
    })

    it('imports a real ONNX model, reads its signature back and gives the same bytes', async () => {
      const bytes = tinyClassifier({ classes: 3 })
      const imported = await importModel('iris', bytes, '?labels=setosa,versicolor,virginica')
      expect(imported.status).toBe(201)
      expect(imported.body).toEqual({ name: 'iris', version: 1 })

      const read = await getVersion('iris', '1', viewerToken)
      expect(read.status).toBe(200)
      expect(read.body).toMatchObject({
        name: 'iris',
        version: 1,
        artifactId: sha256(bytes),
        task: 'classification',
        algorithm: 'imported',
        labels: ['setosa', 'versicolor', 'virginica'],
        inputs: [{ name: 'features', type: 'float32', shape: ['N', 2] }],
        outputs: [{ name: 'probabilities', type: 'float32', shape: ['N', 3] }],
        features: [{ name: 'features', kind: 'number' }],
        aliases: [],
        lineage: null,
      })

      const content = await call(contentRoute.GET, 'GET', '/api/v1/models/iris/versions/1/content', { name: 'iris', version: '1' }, { token: viewerToken })
      expect(content.status).toBe(200)
      expect(content.headers.get('content-type')).toBe('application/onnx')
      expect(content.headers.get('content-disposition')).toBe('attachment; filename="iris-v1.onnx"')
      const downloaded = await contentRoute.GET(new Request('http://localhost/x', { headers: { authorization: `Bearer ${token}` } }), { params: Promise.resolve({ name: 'iris', version: '1' }) })
      expect(sha256(new Uint8Array(await downloaded.arrayBuffer()))).toBe(sha256(bytes))
    })

    it('keeps a dynamic batch dimension by name and a fixed one by size', async () => {
      expect((await importModel('fixed-batch', tinyClassifier({ batch: 1 }))).status).toBe(201)
      expect((await getVersion('fixed-batch', '1')).body.inputs).toEqual([{ name: 'features', type: 'float32', shape: [1, 2] }])
      expect((await importModel('dynamic-classes', tinyClassifier({ dynamicClasses: true }), '?labels=a,b,c,d,e')).status).toBe(201)
      expect((await getVersion('dynamic-classes', '1')).body).toMatchObject({ labels: ['a', 'b', 'c', 'd', 'e'], outputs: [{ shape: ['N', 'K'] }] })
    })

    it('makes two versions sharing one blob when the same bytes are imported twice, and lists them', async () => {
      const bytes = tinyClassifier({ classes: 2 })
      expect((await importModel('twice', bytes)).body).toEqual({ name: 'twice', version: 1 })
      expect((await importModel('twice', bytes)).body).toEqual({ name: 'twice', version: 2 })
      const one = await getVersion('twice', '1')
      const two = await getVersion('twice', '2')
      expect(one.body.artifactId).toBe(two.body.artifactId)

      const model = await call(modelRoute.GET, 'GET', '/api/v1/models/twice', { name: 'twice' }, { token: viewerToken })
      expect(model.body.versions.map((v: { version: number }) => v.version)).toEqual([2, 1])
      const listed = await call(modelsRoute.GET, 'GET', '/api/v1/models', {}, { token: viewerToken })
      expect(listed.body.models.find((m: { name: string }) => m.name === 'twice')).toMatchObject({ latestVersion: 2, aliases: {} })
    })

    it('numbers versions imported at the same moment without a gap or a clash', async () => {
      const answers = await Promise.all([0, 1, 2, 3].map(() => importModel('at-once', tinyClassifier())))
      expect(answers.map((a) => a.status)).toEqual([201, 201, 201, 201])
      expect(answers.map((a) => a.body.version as number).sort()).toEqual([1, 2, 3, 4])
    })

    it('moves aliases between versions, and resolves them', async () => {
      const bytes = tinyClassifier()
      await importModel('aliased', bytes)
      await importModel('aliased', bytes)
      expect((await moveAlias('aliased', 'champion', { version: 1 })).body).toEqual({ name: 'aliased', alias: 'champion', from: null, to: 1 })
      expect((await moveAlias('aliased', 'challenger', { version: 2 })).body).toMatchObject({ from: null, to: 2 })
      expect((await moveAlias('aliased', 'champion', { version: 2 })).body).toMatchObject({ from: 1, to: 2 })
      const { db } = await getServices()
      expect(await resolveAlias(db, 'aliased', 'champion')).toBe(2)
      expect((await getVersion('aliased', '2')).body.aliases).toEqual(['challenger', 'champion'])
      const listed = await call(modelsRoute.GET, 'GET', '/api/v1/models', {}, { token })
      expect(listed.body.models.find((m: { name: string }) => m.name === 'aliased').aliases).toEqual({ challenger: 2, champion: 2 })
    })

    it('keeps the metadata a Pipewright model carries in its file, checked against the file', async () => {
      const withMetadata = (metadata: unknown) => {
        const model = onnx.ModelProto.decode(tinyClassifier({ classes: 3 }))
        model.metadataProps = [{ key: 'pipewright', value: typeof metadata === 'string' ? metadata : JSON.stringify(metadata) }]
        return new Uint8Array(onnx.ModelProto.encode(model).finish())
      }
      const carried = { ...tinyClassifierMetadata(), labels: ['Adélie', 'Gentoo "G"', 'Chinstrap'], algorithm: 'mlp', features: [{ name: 'features', kind: 'number', min: -1, max: 4 }] }
      expect((await importModel('travelled', withMetadata(carried))).status).toBe(201)
      expect((await getVersion('travelled', '1')).body).toMatchObject({ algorithm: 'mlp', labels: carried.labels, task: 'classification', lineage: null })
      expect((await importModel('travelled', withMetadata(carried), `?labels=${encodeURIComponent(carried.labels.join(','))}`)).status).toBe(201)

      const refused = async (bytes: BodyInit, query: string, message: string) => {
        const answer = await importModel('travelled', bytes, query)
        expect(answer.status, JSON.stringify(answer.body)).toBe(400)
        expect(answer.body.error).toContain(message)
      }
      await refused(withMetadata(carried), '?labels=a,b,c', 'The file carries Pipewright metadata naming its classes ["Adélie","Gentoo \\"G\\"","Chinstrap"], but the labels given are ["a","b","c"]')
      await refused(withMetadata({ ...carried, inputs: [{ name: 'features', type: 'float32', shape: ['N', 5] }] }), '', 'The model\'s signature disagrees with its metadata: input "features" has shape [N, 2], the metadata says [N, 5]')
      await refused(withMetadata('{not json'), '', 'The file\'s embedded Pipewright metadata (metadata_props "pipewright") is not valid')
      await refused(withMetadata({ ...carried, task: 'astrology' }), '', 'is not valid: task:')
      expect((await call(modelRoute.GET, 'GET', '/api/v1/models/travelled', { name: 'travelled' }, { token })).body.versions).toHaveLength(2)
    })

    it('refuses bad files with a 400 that says what is wrong, storing nothing', async () => {
      const bytes = tinyClassifier()
      const refused = async (body: BodyInit | undefined, query: string, message: string) => {
        const answer = await importModel('refused', body, query)
        expect(answer.status, JSON.stringify(answer.body)).toBe(400)
        expect(answer.body.error).toContain(message)
      }
      await refused('id,value\n1,2\n', '', 'The file is not an ONNX model')
      await refused(bytes.slice(0, bytes.byteLength - 9), '', 'The file is truncated')
      await refused(new Uint8Array(), '', 'The file is empty (0 bytes)')
      await refused(undefined, '', 'The file is empty (0 bytes)')
      await refused(bytes, '?labels=a,b', `The model's output "probabilities" has 3 classes, but 2 labels were given`)
      await refused(bytes, '?labels=a,,c', 'a label is empty')
      await refused(tinyClassifier({ opset: 5 }), '', 'The model uses ai.onnx operator set 5; Pipewright supports 7 to 21.')
      const broken = onnx.ModelProto.decode(bytes)
      broken.graph!.node![0]!.opType = 'NoSuchOperator'
      await refused(new Uint8Array(onnx.ModelProto.encode(broken).finish()), '', 'The model does not load in onnxruntime-node')
      expect((await call(modelRoute.GET, 'GET', '/api/v1/models/refused', { name: 'refused' }, { token })).status).toBe(404)
    })

    it('answers bad names, versions and alias moves with a clear 4xx', async () => {
      await importModel('named', tinyClassifier())
      const badName = await importModel('Not A Slug', tinyClassifier())
      expect(badName.status).toBe(400)
      expect(badName.body.error).toBe('The model name "Not A Slug" is not allowed: use lower-case letters, digits and "-", starting with a letter or digit, at most 100 characters, e.g. "penguin-species".')
      const unknown = await getVersion('named', '7')
      expect(unknown.status).toBe(404)
      expect(unknown.body.error).toBe('Model "named" has no version 7.')
      expect((await getVersion('named', 'latest')).body.error).toBe('No version "latest": versions are whole numbers from 1.')
      expect((await getVersion('NOPE', '1')).status).toBe(404)
      expect((await getVersion('no-such-model', '1')).body.error).toBe('No model named "no-such-model".')

      const missing = await moveAlias('named', 'champion', { version: 5 })
      expect(missing.status).toBe(404)
      expect(missing.body.error).toBe('Model "named" has no version 5; alias "champion" was not moved.')
      const badAlias = await moveAlias('named', 'Champion!', { version: 1 })
      expect(badAlias.status).toBe(400)
      expect(badAlias.body.error).toContain('The alias "Champion!" is not allowed')
      const badBody = await moveAlias('named', 'champion', { version: 'one' })
      expect(badBody.status).toBe(400)
      expect(badBody.body.error).toContain('version')
      const forbidden = await importModel('named', tinyClassifier(), '', viewerToken)
      expect(forbidden.status).toBe(403)
      expect(forbidden.body.error).toBe('Your role (operator) may not register models.')
    })

    it('keeps a description and tags on a version, edited by engineers, refusing bad ones with the reason', async () => {
      await importModel('described', tinyClassifier())
      const edit = (json: unknown, as = token, version = '1') => call(versionRoute.PATCH, 'PATCH', `/api/v1/models/described/versions/${version}`, { name: 'described', version }, { token: as, json })
      expect((await edit({ description: 'Iris, four features.', tags: ['tabular', 'team:ml'] })).body).toEqual({ name: 'described', version: 1, description: 'Iris, four features.', tags: ['tabular', 'team:ml'] })
      expect((await getVersion('described', '1')).body).toMatchObject({ description: 'Iris, four features.', tags: ['tabular', 'team:ml'] })
      // one field leaves the other alone; null clears the description
      expect((await edit({ tags: [] })).body).toMatchObject({ description: 'Iris, four features.', tags: [] })
      expect((await edit({ description: null })).body).toMatchObject({ description: null })

      const refusals: [unknown, RegExp][] = [
        [{}, /send "description", "tags" or both/],
        [{ tags: ['ok', 'OK'] }, /each tag once/],
        [{ tags: ['-leading'] }, /a tag starts with a letter or digit/],
        [{ tags: Array.from({ length: 51 }, (_, i) => `t${i}`) }, /at most 50 tags/],
        [{ description: 'x'.repeat(5001) }, /at most 5000 characters/],
        [{ description: 'nul \u0000 inside' }, /NUL/],
        [{ labels: ['a'] }, /labels/],
      ]
      for (const [body, message] of refusals) {
        const refused = await edit(body)
        expect(refused.status, JSON.stringify(body).slice(0, 80)).toBe(400)
        expect(refused.body.error).toMatch(message)
      }
      expect((await edit({ tags: ['x'] }, token, '9')).status).toBe(404)
      expect((await edit({ tags: ['x'] }, viewerToken)).status).toBe(403)
      expect((await getVersion('described', '1')).body).toMatchObject({ description: null, tags: [] })
    })

    it('registers a model a step published, with its lineage', async () => {
      const services = await getServices()
      const bytes = tinyClassifier()
      const blob = await services.store.putBytes(bytes)
      await recordArtifact(services.db, { id: blob.id, kind: 'model', sizeBytes: blob.sizeBytes, mediaType: 'application/onnx', filename: 'train.model.onnx' })
      await recordModelMetadata(services.db, blob.id, tinyClassifierMetadata())
      const lineage = { runId: crypto.randomUUID(), pipelineId: crypto.randomUUID(), pipelineVersion: 3, nodeId: 'train', inputArtifactIds: ['a'.repeat(64)], params: { epochs: 5 }, metrics: { val_accuracy: 0.9 } }
      const registered = await registerPublishedModel(services.db, { name: 'trained', artifactId: blob.id, lineage, description: 'first', tags: ['iris'] })
      expect(registered).toEqual({ name: 'trained', version: 1 })
      expect(await getModelVersion(services.db, 'trained', 1)).toMatchObject({ lineage, description: 'first', tags: ['iris'], metadata: tinyClassifierMetadata() })
      expect((await getVersion('trained', '1')).body).toMatchObject({ lineage, labels: ['class-0', 'class-1', 'class-2'], algorithm: 'test' })
    })

    it('serves any artifact\'s bytes, a report as JSON', async () => {
      const services = await getServices()
      const blob = await services.store.putBytes(JSON.stringify({ accuracy: 0.9 }))
      await recordArtifact(services.db, { id: blob.id, kind: 'report', sizeBytes: blob.sizeBytes, mediaType: 'application/json', filename: 'eval.report.json' })
      const answer = await call(artifactContentRoute.GET, 'GET', `/api/v1/artifacts/${blob.id}/content`, { artifactId: blob.id }, { token: viewerToken })
      expect(answer.status).toBe(200)
      expect(answer.headers.get('content-type')).toBe('application/json')
      expect(answer.body).toEqual({ accuracy: 0.9 })
    })
  })
}
