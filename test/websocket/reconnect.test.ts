// @vitest-environment node

import { afterEach, describe, expect, test, vi } from 'vitest'
import type { JobStatus } from '../../src/websocket/jobState'
import { compressedTime, trackingTimers } from '../utils/compressedTime'
import { oneTo, recordJob, startWsTestbed, WAIT, type WsTestbed } from '../utils/wsTestbed'

let bed: WsTestbed

afterEach(async () => {
  await bed?.close()
})

const counts = () => bed.server.control.counts()
const openSockets = () => bed.server.control.wsConnections().filter((c) => c.closedAt === null)
const statusOf = (name: string) => bed.store.getState().jobs[name]?.status

/** Every status each job went through, in order, from a store subscription. */
function recordStatuses(store: WsTestbed['store']) {
  const history: Record<string, JobStatus[]> = {}
  store.subscribe((state) => {
    for (const [name, job] of Object.entries(state.jobs)) {
      const list = history[name] ?? []
      if (list.at(-1) !== job.status) list.push(job.status)
      history[name] = list
    }
  })
  return history
}

describe('the server drops every socket', () => {
  test('every job comes back on its own after the backoff delay, resuming without a gap', async () => {
    bed = await startWsTestbed()
    const history = recordStatuses(bed.store)
    const names = ['a', 'b', 'c', 'd', 'e']
    const jobs = names.map((name) => recordJob(bed.store, name))
    await Promise.all(jobs.map((job) => job.untilSeqCount(5)))

    const droppedAt = Date.now()
    bed.server.control.dropAllSockets()
    await vi.waitFor(() => expect(openSockets()).toHaveLength(5), WAIT)
    await Promise.all(jobs.map((job) => job.untilSeqCount(job.seqs().length + 10)))

    expect(counts()['ws:connect']).toBe(10)
    for (const name of names) {
      expect(history[name]).toEqual(['connecting', 'open', 'reconnecting', 'open'])
      expect(bed.store.getState().jobs[name]).toMatchObject({ status: 'open', attempts: 0 })
    }
    for (const job of jobs) expect(job.seqs()).toEqual(oneTo(job.seqs().length))
    // random() = 0.5 pins the jitter: the first retry waits exactly initialDelayMs (20 ms),
    // counted from the client seeing the drop, which is after `droppedAt` (timers may fire 1 ms early).
    const records = bed.server.control.wsConnections()
    for (const name of names) {
      const [dropped, resumed] = records.filter((c) => c.job === name)
      expect(dropped?.closeCode).toBe(1006)
      expect((resumed?.openedAt ?? 0) - droppedAt).toBeGreaterThanOrEqual(19)
    }
  })

  test('a server refusing sockets for 30 s gets at most 4 attempts (1 + 2 + 4 + 8 s), not one a second', async () => {
    // 50x time: the default backoff (1 s, doubling, 30 s cap) against a 30 s outage, in ~0.6 s.
    const time = compressedTime(50)
    bed = await startWsTestbed({
      server: { now: time.now },
      store: { now: time.now, timers: time.timers },
      websocket: { reconnect: {} },
    })
    const job = recordJob(bed.store, 'build')
    await job.untilSeqCount(3)

    bed.server.control.refuseWebSockets(30_000)
    bed.server.control.dropAllSockets()
    await vi.waitFor(() => expect(statusOf('build')).toBe('reconnecting'), WAIT)
    await vi.waitFor(() => expect(statusOf('build')).toBe('open'), WAIT)

    // Retries at 1, 3, 7 and 15 s are refused; the next, at 31 s, finds the server back. A busy
    // machine can only make retries later (fewer refusals), never earlier: an upper bound.
    // Retrying every second would have been refused 30 times.
    expect(counts()['ws:rejected']).toBeGreaterThan(0)
    expect(counts()['ws:rejected']).toBeLessThanOrEqual(4)
    expect(counts()['ws:connect']).toBe(2)
    await job.untilSeqCount(job.seqs().length + 5)
    expect(job.seqs()).toEqual(oneTo(job.seqs().length))
  })

  test('after maxAttempts consecutive failures the job is failed, with the error in state', async () => {
    bed = await startWsTestbed({ websocket: { maxAttempts: 3 } })
    bed.server.control.refuseWebSockets(60_000)

    recordJob(bed.store, 'build')
    await vi.waitFor(() => expect(statusOf('build')).toBe('failed'), WAIT)

    expect(bed.store.getState().jobs.build).toEqual({
      status: 'failed',
      attempts: 3,
      lastEventAt: null,
      lastSeq: null,
      error: { kind: 'network', message: expect.stringContaining('1006'), closeCode: 1006 },
    })
    expect(counts()['ws:rejected']).toBe(3)
    await new Promise((resolve) => setTimeout(resolve, 200))
    expect(counts()['ws:rejected']).toBe(3)
  })
})

describe('an auth close (4401)', () => {
  test.each(['protocol', 'message'] as const)(
    'strategy %s: exactly one refresh for 3 jobs, then every job reconnects and resumes',
    async (tokenStrategy) => {
      bed = await startWsTestbed({ websocket: { tokenStrategy } })
      const jobs = ['a', 'b', 'c'].map((name) => recordJob(bed.store, name))
      await Promise.all(jobs.map((job) => job.untilSeqCount(5)))
      const refreshesBefore = counts()['POST /auth/refresh'] ?? 0

      bed.server.control.expireTokensNow()
      await vi.waitFor(() => expect(counts()['ws:unauthorized']).toBeGreaterThan(0), WAIT)
      await Promise.all(jobs.map((job) => job.untilSeqCount(job.seqs().length + 10)))

      expect((counts()['POST /auth/refresh'] ?? 0) - refreshesBefore).toBe(1)
      expect(openSockets()).toHaveLength(3)
      for (const job of jobs) expect(job.seqs()).toEqual(oneTo(job.seqs().length))
      for (const name of ['a', 'b', 'c']) expect(statusOf(name)).toBe('open')
    },
  )
})

describe('unsubscribing during a reconnect', () => {
  test('leaves no socket open and no timer running', async () => {
    const tracked = trackingTimers()
    bed = await startWsTestbed({
      store: { timers: tracked.timers },
      websocket: { reconnect: { initialDelayMs: 50, maxDelayMs: 50 } },
    })
    const job = recordJob(bed.store, 'build')
    await job.untilSeqCount(1)
    bed.server.control.refuseWebSockets(60_000)
    bed.server.control.dropAllSockets()
    await vi.waitFor(() => expect(counts()['ws:rejected']).toBe(1), WAIT)
    await vi.waitFor(() => expect(tracked.pending.size).toBe(1), WAIT)

    job.unsubscribe()

    expect(tracked.pending.size).toBe(0)
    expect(bed.store.getState().jobs).toEqual({})
    await new Promise((resolve) => setTimeout(resolve, 150))
    expect(counts()['ws:rejected']).toBe(1)
    expect(openSockets()).toEqual([])
  })

  test('unsubscribing while the socket is still connecting closes it', async () => {
    bed = await startWsTestbed()

    recordJob(bed.store, 'build').unsubscribe()

    await new Promise((resolve) => setTimeout(resolve, 100))
    expect(openSockets()).toEqual([])
    expect(bed.store.getState().jobs).toEqual({})
  })
})
