// @vitest-environment node

import { afterEach, describe, expect, test, vi } from 'vitest'
import { jtiOf, oneTo, recordJob, startWsTestbed, WAIT, type WsTestbed } from '../utils/wsTestbed'

/**
 * The original app's manual "Test 4", automated against the reference server: after a token
 * refresh its job-progress sockets kept the old token and broke. Here the jobs move onto the new
 * token (a new socket, or re-auth in place) without losing or repeating a progress event.
 */
let bed: WsTestbed

afterEach(async () => {
  await bed?.close()
})

const openSockets = () => bed.server.control.wsConnections().filter((c) => c.closedAt === null)

describe('a token refresh mid-stream', () => {
  test.each([
    { tokenStrategy: 'protocol', reauthInPlace: false, sockets: 2 },
    { tokenStrategy: 'query', reauthInPlace: false, sockets: 2 },
    { tokenStrategy: 'message', reauthInPlace: false, sockets: 2 },
    { tokenStrategy: 'message', reauthInPlace: true, sockets: 1 },
  ] as const)(
    'strategy $tokenStrategy, reauthInPlace $reauthInPlace: every seq once, in order; job ends open',
    async ({ tokenStrategy, reauthInPlace, sockets }) => {
      bed = await startWsTestbed({ websocket: { tokenStrategy, reauthInPlace } })
      const job = recordJob(bed.store, 'build')
      await job.untilSeqCount(10)
      const oldJti = jtiOf(bed.store.getState().token)

      await expect(bed.store.getState().refresh()).resolves.toBe(true)
      const newJti = jtiOf(bed.store.getState().token)
      await vi.waitFor(() => {
        expect(openSockets().map((c) => c.jti)).toEqual([newJti])
      }, WAIT)
      await job.untilSeqCount(job.seqs().length + 20)

      expect(newJti).not.toBe(oldJti)
      expect(job.seqs()).toEqual(oneTo(job.seqs().length))
      expect(bed.server.control.wsConnections()).toHaveLength(sockets)
      expect(bed.store.getState().jobs.build).toMatchObject({ status: 'open', attempts: 0 })
      expect(bed.server.control.counts()['ws:unauthorized']).toBeUndefined()
    },
  )

  test("20 jobs, strategy 'query': 20 new sockets, the 20 old ones closed, 0 lost or repeated", async () => {
    bed = await startWsTestbed({ websocket: { tokenStrategy: 'query' } })
    const names = Array.from({ length: 20 }, (_, index) => `job-${index + 1}`)
    const jobs = names.map((name) => recordJob(bed.store, name))
    await Promise.all(jobs.map((job) => job.untilSeqCount(5)))
    const oldJti = jtiOf(bed.store.getState().token)

    await bed.store.getState().refresh()
    const newJti = jtiOf(bed.store.getState().token)
    await vi.waitFor(() => expect(openSockets()).toHaveLength(20), WAIT)
    await vi.waitFor(() => {
      expect(openSockets().every((c) => c.jti === newJti)).toBe(true)
    }, WAIT)
    await Promise.all(jobs.map((job) => job.untilSeqCount(job.seqs().length + 10)))

    const records = bed.server.control.wsConnections()
    expect(bed.server.control.counts()['ws:connect']).toBe(40)
    const old = records.filter((c) => c.jti === oldJti)
    expect(old).toHaveLength(20)
    // 1000: closed by the client once the new socket delivered, not dropped or expired.
    expect(old.every((c) => c.closedAt !== null && c.closeCode === 1000)).toBe(true)
    expect(new Set(openSockets().map((c) => c.job))).toEqual(new Set(names))
    for (const job of jobs) expect(job.seqs()).toEqual(oneTo(job.seqs().length))
    for (const name of names) expect(bed.store.getState().jobs[name]?.status).toBe('open')
  })

  test("strategy 'message': re-auth in place, no new connection, no gap", async () => {
    bed = await startWsTestbed({ websocket: { tokenStrategy: 'message' } })
    const jobs = ['a', 'b', 'c'].map((name) => recordJob(bed.store, name))
    await Promise.all(jobs.map((job) => job.untilSeqCount(5)))

    await bed.store.getState().refresh()
    const newJti = jtiOf(bed.store.getState().token)
    await vi.waitFor(() => {
      expect(openSockets().map((c) => c.jti)).toEqual([newJti, newJti, newJti])
    }, WAIT)
    await Promise.all(jobs.map((job) => job.untilSeqCount(job.seqs().length + 10)))

    expect(bed.server.control.wsConnections()).toHaveLength(3)
    expect(bed.server.control.wsConnections().every((c) => c.closedAt === null)).toBe(true)
    for (const job of jobs) expect(job.seqs()).toEqual(oneTo(job.seqs().length))
  })

  test('the token never appears in the URL with the default strategy', async () => {
    bed = await startWsTestbed()
    const job = recordJob(bed.store, 'build')
    await job.untilSeqCount(1)

    expect(bed.server.control.wsConnections()[0]?.strategy).toBe('message')
  })
})
