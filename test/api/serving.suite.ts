import { eq } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { predictions } from '@/db/schema'
import { createApiToken, createUser } from '@/server/auth/accounts'
import { servingHostOf } from '@/server/serving/host'
import { closeServices, getServices } from '@/server/services'
import { amqpTestClient, waitForReplies } from '@/server/serving/events/test-clients'
import { call } from '../harness/routes'
import { registerTrained } from '../harness/served-models'
import { ModelTrainer } from '../harness/trained-models'
import * as serving from './serving.context'

const { routes, record, rows, v2Body, deploy, predict, infer, inferBytes, healthLater, requestsOf, rollout, deploymentId, directProbabilities, i, setAdmin, setModelBytes } = serving
const trainer = new ModelTrainer()

/** Deployments over REST, V2 and records inference, routing and the fail-safe, on whatever database the environment names. */
export function servingApiSuite(backend: string, cleanUp: () => Promise<void> = async () => {}) {
  describe(`serving on ${backend}`, () => {
    beforeAll(async () => {
      setAdmin((await call(routes.setup.POST, 'POST', '/api/v1/setup', {}, { json: { email: 'owner@example.com', password: 'correct horse battery', name: 'Owner' } })).body.token)
      await trainer.prepareTables()
      setModelBytes((await trainer.tabular('logistic-regression')).bytes)
      const services = await getServices()
      // two versions of one model: the answers tell which version gave them by model_version
      await registerTrained(services, 'sizes', serving.trainedModelBytes())
      await registerTrained(services, 'sizes', serving.trainedModelBytes())
      expect((await deploy({ name: 'sizes', model: 'sizes', version: 1, target: 'server', strategy: 'single' })).status).toBe(201)
    }, 120_000)
    afterAll(async () => {
      await closeServices(await getServices())
      await trainer.cleanup()
      await cleanUp()
    })

    describe('the Open Inference Protocol (V2)', () => {
      it('answers server metadata, liveness and readiness', async () => {
        const server = await call(routes.server.GET, 'GET', '/v2', {})
        expect(server.status).toBe(200)
        expect(server.body).toMatchObject({ name: 'pipewright', version: expect.any(String), extensions: ['binary_tensor_data'] })
        expect((await call(routes.live.GET, 'GET', '/v2/health/live', {})).status).toBe(200)
        expect((await call(routes.ready.GET, 'GET', '/v2/health/ready', {})).status).toBe(200)
        const ready = await call(routes.modelReady.GET, 'GET', '/v2/models/sizes/ready', { name: 'sizes' }, { token: serving.admin })
        expect(ready).toMatchObject({ status: 200, body: { name: 'sizes', ready: true } })
      })

      it('describes the model: versions, platform, inputs and outputs with datatypes and shapes', async () => {
        const meta = await call(routes.model.GET, 'GET', '/v2/models/sizes', { name: 'sizes' }, { token: serving.admin })
        expect(meta.status).toBe(200)
        expect(meta.body).toMatchObject({ name: 'sizes', versions: ['1'], platform: 'onnxruntime_onnx' })
        expect(meta.body.inputs).toEqual(
          expect.arrayContaining([
            { name: 'size [cm]', datatype: 'FP32', shape: [-1, 1] },
            { name: 'colour', datatype: 'BYTES', shape: [-1, 1] },
          ]),
        )
        expect(meta.body.outputs.map((o: { name: string }) => o.name)).toEqual(expect.arrayContaining(['label', 'probabilities']))
      })

      it('infers, echoing the id, naming the version that answered, as onnxruntime-node gives it', async () => {
        const answer = await infer('sizes', v2Body(rows, 'req-42'))
        expect(answer.status).toBe(200)
        expect(answer.body).toMatchObject({ id: 'req-42', model_name: 'sizes', model_version: '1' })
        const probabilities = answer.body.outputs.find((o: { name: string }) => o.name === 'probabilities')
        expect(probabilities).toMatchObject({ datatype: 'FP32', shape: [3, 3] })
        const direct = await directProbabilities(rows)
        probabilities.data.forEach((p: number, i: number) => expect(Math.abs(p - direct[i]!)).toBeLessThan(1e-5))
      })

      it('gives the same numbers through V2 and through the records API', async () => {
        const v2 = await infer('sizes', v2Body(rows))
        const records = await predict('sizes', { records: rows })
        expect(records.status).toBe(200)
        const labels = v2.body.outputs.find((o: { name: string }) => o.name === 'label').data
        expect(records.body.predictions.map((p: { label: string }) => p.label)).toEqual(labels)
        const v2Scores = v2.body.outputs.find((o: { name: string }) => o.name === 'probabilities').data as number[]
        const classes = Object.keys(records.body.predictions[0].scores)
        records.body.predictions.forEach((p: { scores: Record<string, number> }, row: number) =>
          classes.forEach((label, k) => expect(Math.abs(p.scores[label]! - v2Scores[row * classes.length + k]!)).toBeLessThan(1e-5)),
        )
      })

      it.each([
        ['a wrong tensor name', { inputs: [...v2Body(rows).inputs.slice(1), { ...v2Body(rows).inputs[0]!, name: 'size' }] }, /size/],
        ['a missing input', { inputs: v2Body(rows).inputs.slice(1) }, /size \[cm\]/],
        ['a wrong shape', { inputs: [{ ...v2Body(rows).inputs[0]!, shape: [3, 2] }, ...v2Body(rows).inputs.slice(1)] }, /shape|length|size \[cm\]/i],
        ['a wrong datatype', { inputs: [{ ...v2Body(rows).inputs[0]!, datatype: 'INT64', data: [1, 2, 3] }, ...v2Body(rows).inputs.slice(1)] }, /FP32|INT64|datatype/],
        ['a wrong data length', { inputs: [{ ...v2Body(rows).inputs[0]!, data: [1, 2] }, ...v2Body(rows).inputs.slice(1)] }, /3|length|element/i],
        ['NaN as text', { inputs: [{ ...v2Body(rows).inputs[0]!, data: ['NaN', 1, 2] }, ...v2Body(rows).inputs.slice(1)] }, /number|NaN/i],
        ['no inputs at all', { inputs: [] }, /input/i],
        ['not JSON tensors', { hello: 'world' }, /inputs/],
      ])('refuses %s with a 400 in the protocol\'s error format', async (_, body, message) => {
        const answer = await infer('sizes', body)
        expect(answer.status).toBe(400)
        expect(Object.keys(answer.body)).toEqual(['error'])
        expect(answer.body.error).toMatch(message)
      })

      it('speaks the binary tensor extension: binary in, binary or JSON out, the same numbers as JSON', async () => {
        const json = await infer('sizes', v2Body(rows, 'as-json'))
        const header = {
          id: 'as-bytes',
          inputs: [
            { name: 'size [cm]', shape: [3, 1], datatype: 'FP32', parameters: { binary_data_size: 12 } },
            { name: 'noise "n"', shape: [3, 1], datatype: 'FP32', data: rows.map((r) => r['noise "n"'] ?? 0) },
            { name: 'colour', shape: [3, 1], datatype: 'BYTES', parameters: { binary_data_size: rows.reduce((n, r) => n + 4 + Buffer.byteLength(r.colour ?? ''), 0) } },
          ],
          outputs: [{ name: 'probabilities', parameters: { binary_data: true } }, { name: 'label' }],
        }
        const colours = Buffer.concat(rows.map((r) => {
          const text = Buffer.from(r.colour ?? '')
          const length = Buffer.alloc(4)
          length.writeUInt32LE(text.byteLength)
          return Buffer.concat([length, text])
        }))
        const sizes = Buffer.from(new Float32Array(rows.map((r) => Number(r['size [cm]']))).buffer)
        const answer = await inferBytes('sizes', header, [sizes, colours])
        expect(answer.status).toBe(200)
        expect(answer.headers.get('content-type')).toBe('application/octet-stream')
        const headerLength = Number(answer.headers.get('inference-header-content-length'))
        const meta = JSON.parse(Buffer.from(answer.bytes.subarray(0, headerLength)).toString())
        expect(meta).toMatchObject({ id: 'as-bytes', model_name: 'sizes', model_version: '1' })
        expect(meta.outputs[0]).toEqual({ name: 'probabilities', shape: [3, 3], datatype: 'FP32', parameters: { binary_data_size: 36 } })
        expect(meta.outputs[1].data).toEqual(json.body.outputs.find((o: { name: string }) => o.name === 'label').data)
        const probabilities = new Float32Array(new Uint8Array(answer.bytes.subarray(headerLength)).buffer)
        expect(Array.from(probabilities)).toEqual(json.body.outputs.find((o: { name: string }) => o.name === 'probabilities').data)
        const refused = await inferBytes('sizes', { ...header, inputs: header.inputs.map((i) => (i.name === 'size [cm]' ? { ...i, parameters: { binary_data_size: 16 } } : i)) }, [sizes, colours])
        expect(refused.status).toBe(400)
        expect(JSON.parse(Buffer.from(refused.bytes).toString())).toEqual({ error: 'Input "colour" says binary_data_size 22, but only 18 bytes follow the header for it.' })
      })

      it('refuses Infinity (1e999 in JSON) with a 400 naming the input', async () => {
        const body = JSON.stringify(v2Body(rows)).replace('"data":[10,50,90]', '"data":[1e999,50,90]')
        const answer = await call(routes.infer.POST, 'POST', '/v2/models/sizes/infer', { name: 'sizes' }, { token: serving.admin, body, headers: { 'content-type': 'application/json' } })
        expect(answer.status).toBe(400)
        expect(answer.body.error).toMatch(/size \[cm\]/)
        expect(answer.body.error).toMatch(/Infinity|finite/i)
      })

      it('answers 404 for an unknown deployment and a version it does not serve', async () => {
        const unknown = await infer('nothing-here', v2Body(rows))
        expect(unknown).toMatchObject({ status: 404, body: { error: expect.stringMatching(/nothing-here/) } })
        const version = await call(routes.versionInfer.POST, 'POST', '/v2/models/sizes/versions/7/infer', { name: 'sizes', version: '7' }, { token: serving.admin, json: v2Body(rows) })
        expect(version).toMatchObject({ status: 404, body: { error: expect.stringMatching(/version 7/) } })
      })

      it('refuses a 50 MB body with a 413, and bad or missing tokens with a 401', async () => {
        const big = await call(routes.infer.POST, 'POST', '/v2/models/sizes/infer', { name: 'sizes' }, { token: serving.admin, body: 'x'.repeat(50 * 1024 * 1024), headers: { 'content-type': 'application/json' } })
        expect(big.status).toBe(413)
        expect(big.body.error).toMatch(/limit/)
        expect((await infer('sizes', v2Body(rows), 'pw_tok_wrongwrongwrong')).status).toBe(401)
        const anonymous = await call(routes.infer.POST, 'POST', '/v2/models/sizes/infer', { name: 'sizes' }, { json: v2Body(rows) })
        expect(anonymous).toMatchObject({ status: 401, body: { error: expect.stringMatching(/not public/) } })
      })
    })

    describe('tokens with the infer scope', () => {
      it('call only the deployments they name, no other route, within their rate', async () => {
        const { db } = await getServices()
        const owner = await createUser(db, { email: 'app@example.com', name: 'App', role: 'operator', password: 'a fine password' })
        const scoped = (await createApiToken(db, owner.id, 'checkout app', null, new Date(), { deployments: ['sizes'], ratePerSecond: 5 })).token
        expect((await infer('sizes', v2Body(rows), scoped)).status).toBe(200)
        const elsewhere = await call(routes.users.GET, 'GET', '/api/v1/users', {}, { token: scoped })
        expect(elsewhere).toMatchObject({ status: 403, body: { error: expect.stringMatching(/only call the inference endpoints of "sizes"/) } })
        const answers = await Promise.all(Array.from({ length: 8 }, () => infer('sizes', v2Body(rows), scoped)))
        const limited = answers.filter((a) => a.status === 429)
        expect(limited.length).toBeGreaterThan(0)
        expect(Number(limited[0]!.headers.get('retry-after'))).toBeGreaterThanOrEqual(1)
        const other = (await createApiToken(db, owner.id, 'other app', null, new Date(), { deployments: ['another'] })).token
        expect(await infer('sizes', v2Body(rows), other)).toMatchObject({ status: 403, body: { error: expect.stringMatching(/may not call deployment "sizes"/) } })
      })

      it('are not needed for a public deployment', async () => {
        expect((await deploy({ name: 'sizes-public', model: 'sizes', version: 1, public: true })).status).toBe(201)
        const anonymous = await call(routes.predict.POST, 'POST', '/api/v1/deployments/sizes-public/predict', { name: 'sizes-public' }, { json: { records: rows } })
        expect(anonymous.status).toBe(200)
      })
    })

    describe('the records API', () => {
      it('takes rows by column name with odd names, nulls and numeric text', async () => {
        const answer = await predict('sizes', { records: [record('10'), record(null, null, null), record(90, 'purple')] })
        expect(answer.status).toBe(200)
        expect(answer.body.modelVersion).toBe(1)
        expect(answer.body.predictions).toHaveLength(3)
        for (const p of answer.body.predictions) {
          expect(p).toMatchObject({ label: expect.any(String), fallback: false, id: expect.any(String) })
          expect(Object.keys(p.scores).sort()).toEqual(['large', 'medium', 'small'])
        }
      })

      it('refuses a record without a column the model reads, and 0 or 1,001 records', async () => {
        expect(await predict('sizes', { records: [{ colour: 'red' }] })).toMatchObject({ status: 400, body: { error: expect.stringMatching(/size \[cm\]/) } })
        expect((await predict('sizes', { records: [] })).status).toBe(400)
        expect((await predict('sizes', { records: Array.from({ length: 1001 }, () => record(10)) })).status).toBe(400)
      })
    })

    describe('the fail-safe', () => {
      it('answers instead when the model is unsure or an input lies outside training, and says so', async () => {
        expect((await deploy({ name: 'sizes-guarded', model: 'sizes', version: 1 })).status).toBe(201)
        const failsafe = { minConfidence: 0.9, outOfRange: { tolerance: 0 }, action: { type: 'label', label: 'ask a person' } }
        const set = await call(routes.deployment.PATCH, 'PATCH', '/api/v1/deployments/sizes-guarded', { name: 'sizes-guarded' }, { token: serving.admin, json: { failsafe } })
        expect(set.status).toBe(200)
        // 10 and 90 are clearly small and large; 33 sits on the border; 500 is far outside 0–100
        const answer = await predict('sizes-guarded', { records: [record(10), record(90), record(33), record(500)] })
        expect(answer.status).toBe(200)
        const [small, large, border, outside] = answer.body.predictions
        expect(small).toMatchObject({ fallback: false })
        expect(large).toMatchObject({ fallback: false })
        expect(border).toMatchObject({ fallback: true, reason: 'low-confidence', label: 'ask a person' })
        expect(outside).toMatchObject({ fallback: true, reason: 'out-of-range', label: 'ask a person' })
        expect(outside.detail).toMatch(/size \[cm\]/)
      })

      it('refuses a fail-safe whose rules name a feature the model does not have', async () => {
        const failsafe = { action: { type: 'rules', rules: [{ when: { feature: 'weight', op: '>', value: 3 }, answer: { label: 'large' } }], otherwise: { label: 'small' } }, minConfidence: 0.5 }
        const set = await call(routes.deployment.PATCH, 'PATCH', '/api/v1/deployments/sizes-guarded', { name: 'sizes-guarded' }, { token: serving.admin, json: { failsafe } })
        expect(set).toMatchObject({ status: 400, body: { error: expect.stringMatching(/weight/) } })
      })
    })

    describe('event-driven serving', () => {
      it('answers records published to a RabbitMQ queue on its reply queue, and hides the password', async () => {
        expect((await deploy({ name: 'sizes-queue', model: 'sizes', version: 1 })).status).toBe(201)
        const suffix = Date.now().toString(36)
        const source = { kind: 'amqp' as const, url: 'amqp://guest:guest@127.0.0.1:5672', input: `sizes-in-${suffix}`, reply: `sizes-out-${suffix}`, prefetch: 16 }
        const client = await amqpTestClient(source).catch((error: Error) => {
          throw new Error(`RabbitMQ is not reachable at 127.0.0.1:5672 (${error.message}); start it with: rabbitmq-server -detached`)
        })
        try {
          const set = await call(routes.deployment.PATCH, 'PATCH', '/api/v1/deployments/sizes-queue', { name: 'sizes-queue' }, { token: serving.admin, json: { events: [source] } })
          expect(set.status).toBe(200)
          expect(set.body.events[0].url).not.toContain('guest:guest')
          const ids = Array.from({ length: 10 }, (_, i) => `order-${i}`)
          for (const id of ids) await client.publish(JSON.stringify({ records: [record(10 + i(id))] }), id)
          await waitForReplies(client, ids, 15_000)
          for (const id of ids) {
            const [reply] = client.replies.get(id)!
            expect(reply).toMatchObject({ messageId: id, result: { modelVersion: 1, predictions: [{ label: expect.any(String), fallback: false }] } })
          }
          await client.publish('not json', 'poison')
          await waitForReplies(client, ['poison'], 15_000)
          expect(client.replies.get('poison')![0]).toMatchObject({ error: expect.any(String) })
        } finally {
          await call(routes.deployment.PATCH, 'PATCH', '/api/v1/deployments/sizes-queue', { name: 'sizes-queue' }, { token: serving.admin, json: { events: [] } })
          await client.close()
        }
      })
    })

    describe('rollouts', () => {
      it('a 10% canary answers 10% ± 3% of 2,000 requests, and one caller sticks to one version', async () => {
        expect((await deploy({ name: 'sizes-canary', model: 'sizes', version: 1 })).status).toBe(201)
        expect((await rollout('sizes-canary', { version: 2, strategy: 'canary', weight: 10 })).status).toBe(200)
        let challenger = 0
        for (let i = 0; i < 2000; i++) {
          const answer = await infer('sizes-canary', v2Body(rows.slice(0, 1)))
          if (answer.body.model_version === '2') challenger++
        }
        expect(challenger / 2000).toBeGreaterThan(0.07)
        expect(challenger / 2000).toBeLessThan(0.13)
        const seen = new Set<string>()
        for (let i = 0; i < 50; i++) seen.add((await infer('sizes-canary', v2Body(rows.slice(0, 1)), serving.admin, { 'x-pipewright-key': 'customer-17' })).body.model_version)
        expect(seen.size).toBe(1)
        // the health route counts each version's requests apart: the canary's beside the stable one's
        const health = await healthLater('sizes-canary')
        expect(health.status).toBe(200)
        const sticky = seen.has('2') ? 50 : 0
        expect(requestsOf(health.body.versions)).toEqual([
          { version: 1, shadow: false, requests: 2050 - challenger - sticky },
          { version: 2, shadow: false, requests: challenger + sticky },
        ])
        expect(health.body).toMatchObject({ name: 'sizes-canary', processes: 1, errorRate: 0, windowSeconds: 30, bucketSeconds: 5 })
        expect(health.body.versions[1].p95Ms).toBeGreaterThan(0)
      })

      it('a shadow changes no answer and logs both', async () => {
        expect((await deploy({ name: 'sizes-shadow', model: 'sizes', version: 1 })).status).toBe(201)
        expect((await rollout('sizes-shadow', { version: 2, strategy: 'shadow' })).status).toBe(200)
        const answers = await Promise.all(Array.from({ length: 20 }, () => predict('sizes-shadow', { records: [record(10)] })))
        expect(answers.every((a) => a.status === 200 && a.body.modelVersion === 1)).toBe(true)
        const services = await getServices()
        await new Promise((resolve) => setTimeout(resolve, 300)) // the shadows run after the answers
        await servingHostOf(services).log.flush()
        const detail = (await call(routes.deployment.GET, 'GET', '/api/v1/deployments/sizes-shadow', { name: 'sizes-shadow' }, { token: serving.admin })).body
        const logged = await services.db.select().from(predictions).where(eq(predictions.deploymentId, await deploymentId('sizes-shadow')))
        expect(logged.filter((p) => !p.shadow && p.modelVersion === 1)).toHaveLength(20)
        expect(logged.filter((p) => p.shadow && p.modelVersion === 2)).toHaveLength(20)
        expect(detail.versions).toEqual([
          { version: 1, role: 'stable', weight: 100 },
          { version: 2, role: 'shadow', weight: 0 },
        ])
        // the shadow's runs are its version's numbers, not the deployment's: no caller got them
        const health = (await healthLater('sizes-shadow')).body
        expect(requestsOf(health.versions)).toEqual([
          { version: 1, shadow: false, requests: 20 },
          { version: 2, shadow: true, requests: 20 },
        ])
        expect(health.series.reduce((n: number, p: { requests: number }) => n + p.requests, 0)).toBe(20)
      })

      it('logs each answer as it was asked and given, with its prediction id and the time it was answered', async () => {
        expect((await deploy({ name: 'sizes-logged', model: 'sizes', version: 1 })).status).toBe(201)
        const asked = record(12.5, 'grün "dark" [x] 🎨')
        const before = Date.now()
        const answer = await predict('sizes-logged', { records: [asked, record(null, null)] })
        expect(answer.status).toBe(200)
        const services = await getServices()
        await servingHostOf(services).log.flush()
        const logged = await services.db.select().from(predictions).where(eq(predictions.deploymentId, await deploymentId('sizes-logged')))
        const first = logged.find((p) => p.id === answer.body.predictions[0].id)!
        expect(first).toMatchObject({ modelVersion: 1, protocol: 'records', inputs: asked, shadow: false, fallback: false })
        expect((first.outputs as { label: string }).label).toBe(answer.body.predictions[0].label)
        expect(first.createdAt.getTime()).toBeGreaterThanOrEqual(before - 1000)
        expect(logged.find((p) => p.id === answer.body.predictions[1].id)?.inputs).toEqual(record(null, null))
      })

      it('rolls out, promotes and rolls back under a steady load without failing a request', async () => {
        expect((await deploy({ name: 'sizes-steady', model: 'sizes', version: 1 })).status).toBe(201)
        const statuses: number[] = []
        const versions = new Set<string>()
        let running = true
        const load = Array.from({ length: 8 }, async () => {
          while (running) {
            const answer = await infer('sizes-steady', v2Body(rows.slice(0, 1)))
            statuses.push(answer.status)
            versions.add(answer.body.model_version)
          }
        })
        const pause = () => new Promise((resolve) => setTimeout(resolve, 150))
        await pause()
        expect((await rollout('sizes-steady', { version: 2, strategy: 'canary', weight: 50 })).status).toBe(200)
        await pause()
        expect((await call(routes.rollback.POST, 'POST', '/api/v1/deployments/sizes-steady/rollback', { name: 'sizes-steady' }, { token: serving.admin })).status).toBe(200)
        await pause()
        expect((await rollout('sizes-steady', { version: 2, strategy: 'blue-green' })).status).toBe(200)
        expect((await call(routes.promote.POST, 'POST', '/api/v1/deployments/sizes-steady/promote', { name: 'sizes-steady' }, { token: serving.admin })).status).toBe(200)
        await pause()
        const back = await call(routes.rollback.POST, 'POST', '/api/v1/deployments/sizes-steady/rollback', { name: 'sizes-steady' }, { token: serving.admin })
        expect(back.body).toMatchObject({ stableVersion: 1, versions: [{ version: 1, role: 'stable', weight: 100 }] })
        await pause()
        running = false
        await Promise.all(load)
        expect(statuses.length).toBeGreaterThan(100)
        expect(statuses.filter((s) => s !== 200)).toEqual([])
        expect(versions).toEqual(new Set(['1', '2']))
        const history = (await call(routes.deployment.GET, 'GET', '/api/v1/deployments/sizes-steady', { name: 'sizes-steady' }, { token: serving.admin })).body.history
        expect(history.map((h: { action: string }) => h.action)).toEqual(['rollback', 'promote', 'rollout', 'rollback', 'rollout', 'create'])
        expect(history[0].by).toBe('owner@example.com')
      })

      it('refuses bad rollouts, saying what is wrong', async () => {
        expect(await rollout('sizes', { version: 2, strategy: 'canary' })).toMatchObject({ status: 400, body: { error: expect.stringMatching(/weight/) } })
        expect(await rollout('sizes', { version: 9, strategy: 'shadow' })).toMatchObject({ status: 404, body: { error: expect.stringMatching(/version 9/) } })
        expect(await rollout('sizes', { version: 1, strategy: 'shadow' })).toMatchObject({ status: 409, body: { error: expect.stringMatching(/already the stable/) } })
        expect(await call(routes.rollback.POST, 'POST', '/api/v1/deployments/sizes/rollback', { name: 'sizes' }, { token: serving.admin })).toMatchObject({ status: 409 })
        expect(await deploy({ name: 'sizes', model: 'sizes', version: 1 })).toMatchObject({ status: 409 })
        expect(await deploy({ name: 'Bad Name', model: 'sizes', version: 1 })).toMatchObject({ status: 400 })
        expect(await deploy({ name: 'two-ways', model: 'sizes', version: 1, alias: 'champion' })).toMatchObject({ status: 400, body: { error: expect.stringMatching(/exactly one/) } })
      })
    })
  })
}

