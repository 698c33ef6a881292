import { randomUUID } from 'node:crypto'
import { afterEach, describe, expect, it } from 'vitest'
import { InProcessQueue } from './in-process-queue'
import type { StepJob } from './queue'

const job = (): StepJob => ({ runId: randomUUID(), stepId: randomUUID(), attempt: 1 })

describe('the in-process queue', () => {
  let queue: InProcessQueue
  afterEach(async () => queue?.close())

  it('runs no more jobs at once than its concurrency', async () => {
    queue = new InProcessQueue()
    let running = 0
    let peak = 0
    let done = 0
    await queue.startWorker(async () => {
      running += 1
      peak = Math.max(peak, running)
      await new Promise((resolve) => setTimeout(resolve, 20))
      running -= 1
      done += 1
    }, 2)
    for (let i = 0; i < 6; i++) await queue.enqueue(job())
    await expect.poll(() => done, { timeout: 5000 }).toBe(6)
    expect(peak).toBe(2)
  })

  it('delivers a job again when its handler throws, as BullMQ does, up to three times', async () => {
    queue = new InProcessQueue()
    const deliveries: string[] = []
    await queue.startWorker(async (received) => {
      deliveries.push(received.stepId)
      throw new Error('database unreachable')
    }, 1)
    const sent = job()
    await queue.enqueue(sent)
    await expect.poll(() => deliveries.length, { timeout: 8000 }).toBe(3)
    await new Promise((resolve) => setTimeout(resolve, 300))
    expect(deliveries).toEqual([sent.stepId, sent.stepId, sent.stepId])
  })

  it('holds a delayed job back until its delay has passed', async () => {
    queue = new InProcessQueue()
    const seen: number[] = []
    await queue.startWorker(async () => void seen.push(Date.now()), 1)
    const sentAt = Date.now()
    await queue.enqueue(job(), { delayMs: 150 })
    await expect.poll(() => seen.length).toBe(1)
    expect(seen[0]! - sentAt).toBeGreaterThanOrEqual(140)
  })

  it('says which jobs it still holds, adds a held job once, and gives the reason of one that ran out of deliveries', async () => {
    queue = new InProcessQueue()
    const ran: string[] = []
    let release: () => void = () => {}
    const gate = new Promise<void>((resolve) => (release = resolve))
    await queue.startWorker(async (received) => {
      ran.push(received.stepId)
      await gate
      if (received.attempt === 2) throw new Error('database unreachable')
    }, 1)
    const first = job()
    await queue.enqueue(first)
    await queue.enqueue(first)
    expect(await queue.jobFate(first)).toEqual({ live: true })
    release()
    await expect.poll(() => queue.jobFate(first)).toEqual({ live: false, failedReason: undefined })
    expect(ran).toEqual([first.stepId])

    const failing = { ...job(), attempt: 2 }
    await queue.enqueue(failing)
    await expect.poll(() => queue.jobFate(failing), { timeout: 8000 }).toEqual({ live: false, failedReason: 'database unreachable' })
    await queue.redeliver(failing)
    expect(await queue.jobFate(failing)).toEqual({ live: true })
  })
})
