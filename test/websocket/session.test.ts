// @vitest-environment node

import { afterEach, describe, expect, test, vi } from 'vitest'
import { oneTo, recordJob, startWsTestbed, WAIT, type WsTestbed } from '../utils/wsTestbed'

let bed: WsTestbed

afterEach(async () => {
  await bed?.close()
})

const openSockets = () => bed.server.control.wsConnections().filter((c) => c.closedAt === null)
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

describe('the session drives the sockets', () => {
  test('sign-out closes every socket and keeps the listeners; sign-in reopens the jobs', async () => {
    bed = await startWsTestbed()
    const names = ['a', 'b', 'c']
    const jobs = names.map((name) => recordJob(bed.store, name))
    await Promise.all(jobs.map((job) => job.untilSeqCount(5)))

    await bed.store.getState().logout()

    for (const name of names) expect(bed.store.getState().jobs[name]?.status).toBe('closed')
    await vi.waitFor(() => expect(openSockets()).toEqual([]), WAIT)
    const receivedWhileSignedIn = jobs.map((job) => job.seqs().length)
    await pause(100)
    expect(jobs.map((job) => job.seqs().length)).toEqual(receivedWhileSignedIn)

    await bed.signIn()
    await Promise.all(jobs.map((job) => job.untilSeqCount(job.seqs().length + 10)))

    expect(openSockets()).toHaveLength(3)
    for (const name of names) expect(bed.store.getState().jobs[name]?.status).toBe('open')
    // Resumed from lastSeq: what the job produced while signed out arrives too, once.
    for (const job of jobs) expect(job.seqs()).toEqual(oneTo(job.seqs().length))
  })

  test('a job subscribed while signed out waits for sign-in', async () => {
    bed = await startWsTestbed({ signIn: false })
    const job = recordJob(bed.store, 'build')

    expect(bed.store.getState().jobs.build?.status).toBe('closed')
    await pause(50)
    expect(bed.server.control.wsConnections()).toEqual([])

    await bed.signIn()
    await job.untilSeqCount(3)
    expect(bed.store.getState().jobs.build?.status).toBe('open')
  })

  test('dispose() closes every socket; the listeners hear nothing more', async () => {
    bed = await startWsTestbed()
    const jobs = ['a', 'b'].map((name) => recordJob(bed.store, name))
    await Promise.all(jobs.map((job) => job.untilSeqCount(3)))

    bed.store.dispose()

    await vi.waitFor(() => expect(openSockets()).toEqual([]), WAIT)
    const received = jobs.map((job) => job.events.length)
    await pause(100)
    expect(jobs.map((job) => job.events.length)).toEqual(received)
    expect(bed.server.control.wsConnections().every((c) => c.closeCode === 1000)).toBe(true)
  })
})
