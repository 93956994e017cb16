import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { wsActions } from '../../src/websocket/actionNames'
import { type JobsRuntimeModule, jobsRuntimeChunk } from '../../src/websocket/loadJobsRuntime'
import { createTestStore } from '../utils/createTestStore'
import { installFakeDevtoolsExtension } from '../utils/fakeDevtoolsExtension'
import { listen, setUpJobsTestbed } from '../utils/jobsTestbed'
import { tokenAt } from '../utils/jwt'

/**
 * The jobs machinery is a chunk of its own, loaded when a store has the `websocket` option. The
 * chunk's arrival is in the test's hands here (`jobsRuntimeChunk.load` replaced): `loader.finish()`
 * or `loader.fail()`. Every other test file has it loaded before the first store, by
 * test/setup/preloadJobsRuntime.ts.
 */
const loader = {
  calls: 0,
  pending: [] as Array<{
    resolve: (module: JobsRuntimeModule) => void
    reject: (error: Error) => void
  }>,
  /** Delivers the chunk to every load in flight, as a bundler's import() would. */
  async finish() {
    jobsRuntimeChunk.loaded = realChunk
    for (const load of loader.pending.splice(0)) load.resolve(realChunk)
    await Promise.resolve()
  },
  async fail() {
    for (const load of loader.pending.splice(0)) {
      load.reject(new Error('Failed to fetch dynamically imported module'))
    }
    await Promise.resolve()
  },
}

const realLoad = jobsRuntimeChunk.load
const realChunk = await realLoad()
beforeEach(() => {
  loader.calls = 0
  loader.pending.length = 0
  jobsRuntimeChunk.loaded = undefined
  jobsRuntimeChunk.load = () => {
    loader.calls += 1
    return new Promise((resolve, reject) => loader.pending.push({ resolve, reject }))
  }
})
afterEach(() => {
  // Other test files share this module when they run in the same worker.
  jobsRuntimeChunk.load = realLoad
  jobsRuntimeChunk.loaded = realChunk
})

const testbed = setUpJobsTestbed()
const { signedInStore, storeWith } = testbed

describe('before the jobs code has loaded', () => {
  it('a store with the websocket option starts loading it at once; one without does not', async () => {
    createTestStore({ autoStart: false })
    expect(loader.calls).toBe(0)
    storeWith()
    expect(loader.calls).toBe(1)
  })

  it('a listener waits with its job connecting, then gets the job’s events once it has loaded', async () => {
    const { store } = await signedInStore()
    const job = listen(store)
    expect(store.getState().jobs.build).toEqual({
      status: 'connecting',
      attempts: 0,
      lastEventAt: null,
      lastSeq: null,
      error: null,
    })
    expect(testbed.sockets.sockets).toHaveLength(0)

    await loader.finish()
    testbed.sockets.last().authenticate().progress(1).progress(2)
    expect(job.seqs()).toEqual([1, 2])
    expect(store.getState().jobs.build?.status).toBe('open')
  })

  it('every listener of a job waits, and the job gets one socket', async () => {
    const { store } = await signedInStore()
    const first = listen(store)
    const second = listen(store)
    await loader.finish()
    testbed.sockets.last().authenticate().progress(1)
    expect(testbed.sockets.sockets).toHaveLength(1)
    expect(first.seqs()).toEqual([1])
    expect(second.seqs()).toEqual([1])
  })

  it('signed out, a waiting job shows closed, and opens on sign-in once loaded', async () => {
    const { store } = storeWith()
    const job = listen(store)
    expect(store.getState().jobs.build?.status).toBe('closed')
    await loader.finish()
    expect(testbed.sockets.sockets).toHaveLength(0)
    await store.getState().login(tokenAt(Date.now()))
    testbed.sockets.last().authenticate().progress(1)
    expect(job.seqs()).toEqual([1])
  })

  it('unsubscribing while waiting removes the job, and no socket opens once loaded', async () => {
    const { store } = await signedInStore()
    const first = listen(store)
    const second = listen(store)
    first.unsubscribe()
    first.unsubscribe() // twice changes nothing: the other listener stays
    expect(store.getState().jobs.build?.status).toBe('connecting')
    second.unsubscribe()
    expect(store.getState().jobs).toEqual({})
    await loader.finish()
    expect(testbed.sockets.sockets).toHaveLength(0)
  })

  it('one listener leaving while waiting leaves the others theirs', async () => {
    const { store } = await signedInStore()
    const first = listen(store)
    const second = listen(store)
    first.unsubscribe()
    first.unsubscribe()
    await loader.finish()
    testbed.sockets.last().authenticate().progress(1)
    expect(first.seqs()).toEqual([])
    expect(second.seqs()).toEqual([1])
  })

  it('a listener that waited unsubscribes through the loaded machinery: the socket closes', async () => {
    const { store } = await signedInStore()
    const job = listen(store)
    await loader.finish()
    testbed.sockets.last().authenticate()
    job.unsubscribe()
    expect(testbed.sockets.last().closedByClient).toBe(1000)
    expect(store.getState().jobs).toEqual({})
  })

  it('a store disposed while waiting opens nothing once loaded', async () => {
    const { store } = await signedInStore()
    const job = listen(store)
    store.dispose()
    await loader.finish()
    expect(testbed.sockets.sockets).toHaveLength(0)
    expect(job.events).toEqual([])
    expect(() => job.unsubscribe()).not.toThrow()
    listen(store, 'later') // a disposed store opens nothing, loaded or not
    expect(testbed.sockets.sockets).toHaveLength(0)
    expect(store.getState().jobs.later).toBeUndefined()
  })

  it('a store disposed while waiting neither shows nor warns about a load that then fails', async () => {
    const warnings = vi.spyOn(console, 'warn').mockImplementation(() => {})
    const { store } = await signedInStore()
    listen(store)
    store.dispose()
    listen(store, 'later')
    await loader.fail()
    expect(warnings).not.toHaveBeenCalled()
    expect(store.getState().jobs.later).toBeUndefined()
    expect(store.getState().jobs.build?.status).toBe('connecting')
  })

  it('a second listener of a waiting job writes nothing to the store', async () => {
    const { store } = await signedInStore()
    listen(store)
    let writes = 0
    store.subscribe(() => {
      writes += 1
    })
    listen(store)
    expect(writes).toBe(0)
  })

  it('each waiting job is shown on its own, and leaves the state on its own', async () => {
    const { store } = await signedInStore()
    const a = listen(store, 'a')
    listen(store, 'b')
    expect(store.getState().jobs.a?.status).toBe('connecting')
    expect(store.getState().jobs.b?.status).toBe('connecting')
    a.unsubscribe()
    expect(Object.keys(store.getState().jobs)).toEqual(['b'])
  })

  it('bad input throws at once, without waiting for the code', async () => {
    const { store } = await signedInStore({ WebSocket: undefined })
    vi.stubGlobal('WebSocket', undefined)
    expect(() => store.getState().subscribeJob('build', 'listener' as never)).toThrow(TypeError)
    expect(() => store.getState().subscribeJob('build', () => {})).toThrow(/websocket\.WebSocket/)
    expect(store.getState().jobs).toEqual({})
  })
})

/** The sockets' backoff without jitter: 1 s, 2 s, 4 s … */
const STEADY = { reconnect: { initialDelayMs: 1_000, factor: 2, jitter: 0 } }
/** Gives up at the first failure, for the tests of what comes after. */
const ONE_TRY = { maxAttempts: 1 }
const LOAD_FAILURE = { kind: 'network', message: 'The WebSocket code could not be loaded' }

/** Signed in, a listener of job `build` waiting, and the first load failed (its warning muted). */
async function loadFailedOnce(websocket: Parameters<typeof signedInStore>[0]) {
  vi.spyOn(console, 'warn').mockImplementation(() => {})
  const { store } = await signedInStore(websocket)
  const job = listen(store)
  await loader.fail()
  return { store, job }
}

describe('when the jobs code cannot be loaded: retried as a socket is', () => {
  it('the waiting jobs are reconnecting with the backoff, and failed after maxAttempts; the session is untouched', async () => {
    const warnings = vi.spyOn(console, 'warn').mockImplementation(() => {})
    const { store, fake } = await signedInStore({ ...STEADY, maxAttempts: 3 })
    listen(store)
    await loader.fail()
    expect(store.getState().jobs.build).toEqual({
      status: 'reconnecting',
      attempts: 1,
      lastEventAt: null,
      lastSeq: null,
      error: LOAD_FAILURE,
    })
    await vi.advanceTimersByTimeAsync(999)
    expect(loader.calls).toBe(1)
    await vi.advanceTimersByTimeAsync(1)
    expect(loader.calls).toBe(2)
    expect(store.getState().jobs.build?.status).toBe('reconnecting') // no flicker to connecting

    await loader.fail()
    expect(store.getState().jobs.build).toMatchObject({ status: 'reconnecting', attempts: 2 })
    await vi.advanceTimersByTimeAsync(1_999)
    expect(loader.calls).toBe(2)
    await vi.advanceTimersByTimeAsync(1)
    expect(loader.calls).toBe(3)

    await loader.fail()
    expect(store.getState().jobs.build).toMatchObject({
      status: 'failed',
      attempts: 3,
      error: LOAD_FAILURE,
    })
    await vi.advanceTimersByTimeAsync(60 * 60_000)
    expect(loader.calls).toBe(3)
    // Once per round, not once per attempt.
    expect(warnings).toHaveBeenCalledTimes(1)
    expect(warnings).toHaveBeenCalledWith(
      '[zustand-auth-session] the WebSocket jobs code could not be loaded: Failed to fetch dynamically imported module',
    )
    expect(store.getState()).toMatchObject({ status: 'authenticated' })
    expect(fake.transport.refresh).not.toHaveBeenCalled()
  })

  it('a retry that loads hands every waiting listener over: their sockets open', async () => {
    vi.spyOn(console, 'warn').mockImplementation(() => {})
    const { store } = await signedInStore(STEADY)
    const job = listen(store)
    const other = listen(store, 'export')
    await loader.fail()
    await vi.advanceTimersByTimeAsync(1_000)
    await loader.finish()
    testbed.sockets.sockets[0]?.authenticate().progress(1)
    testbed.sockets.sockets[1]?.authenticate().progress(7)
    expect(testbed.sockets.sockets.map((socket) => socket.url)).toEqual([
      'wss://api.test/ws/jobs/build',
      'wss://api.test/ws/jobs/export',
    ])
    expect(job.seqs()).toEqual([1])
    expect(other.seqs()).toEqual([7])
  })

  it('the backoff is waited out: a new token or listener meanwhile loads nothing', async () => {
    const { store } = await loadFailedOnce(STEADY)
    await store.getState().refresh()
    listen(store, 'export')
    expect(loader.calls).toBe(1)
    await vi.advanceTimersByTimeAsync(1_000)
    expect(loader.calls).toBe(2)
  })

  it('with nobody waiting a failed load is not retried: the next subscribeJob() loads it', async () => {
    vi.spyOn(console, 'warn').mockImplementation(() => {})
    const { store } = await signedInStore(STEADY)
    await loader.fail()
    await vi.advanceTimersByTimeAsync(60 * 60_000)
    expect(loader.calls).toBe(1)
    listen(store)
    expect(loader.calls).toBe(2)
    expect(store.getState().jobs.build).toMatchObject({ status: 'connecting', attempts: 0 })
  })

  it('the last waiting listener leaving during the backoff ends the round: no timer, no load', async () => {
    vi.spyOn(console, 'warn').mockImplementation(() => {})
    const { store } = await signedInStore(STEADY)
    const first = listen(store)
    const second = listen(store, 'export')
    await loader.fail()
    first.unsubscribe()
    expect(vi.getTimerCount()).toBe(1) // 'export' still waits
    second.unsubscribe()
    expect(store.getState().jobs).toEqual({})
    expect(vi.getTimerCount()).toBe(0)
    await vi.advanceTimersByTimeAsync(60 * 60_000)
    expect(loader.calls).toBe(1)

    // The next listener starts a new round, counted from the start.
    listen(store)
    expect(loader.calls).toBe(2)
    await loader.fail()
    expect(store.getState().jobs.build).toMatchObject({ status: 'reconnecting', attempts: 1 })
  })

  it('a store disposed during the backoff loads nothing more and leaves no timer', async () => {
    const { store } = await loadFailedOnce(STEADY)
    store.dispose()
    expect(vi.getTimerCount()).toBe(0)
    await vi.advanceTimersByTimeAsync(60 * 60_000)
    expect(loader.calls).toBe(1)
  })
})

describe('when the jobs code cannot be loaded: after the jobs gave up', () => {
  it('the next subscribeJob() starts another round for all of them', async () => {
    const { store, job } = await loadFailedOnce(ONE_TRY)
    expect(store.getState().jobs.build).toMatchObject({ status: 'failed', attempts: 1 })

    const other = listen(store, 'export')
    expect(loader.calls).toBe(2)
    // Waiting again, its count started over.
    expect(store.getState().jobs.build).toMatchObject({ status: 'connecting', attempts: 0 })
    await loader.finish()
    testbed.sockets.sockets[0]?.authenticate().progress(1)
    testbed.sockets.sockets[1]?.authenticate().progress(7)
    expect(job.seqs()).toEqual([1])
    expect(other.seqs()).toEqual([7])
  })

  it('a new round counts its attempts from the start', async () => {
    vi.spyOn(console, 'warn').mockImplementation(() => {})
    const { store } = await signedInStore({ ...STEADY, maxAttempts: 2 })
    listen(store)
    await loader.fail()
    await vi.advanceTimersByTimeAsync(1_000)
    await loader.fail()
    expect(store.getState().jobs.build).toMatchObject({ status: 'failed', attempts: 2 })
    listen(store, 'export')
    await loader.fail()
    expect(store.getState().jobs.build).toMatchObject({ status: 'reconnecting', attempts: 1 })
  })

  it.each([
    { change: 'a refreshed token', signedInFirst: true },
    { change: 'a sign-in', signedInFirst: false },
  ])('$change starts another round: the jobs wait, then open', async ({ signedInFirst }) => {
    vi.spyOn(console, 'warn').mockImplementation(() => {})
    const { store } = signedInFirst ? await signedInStore(ONE_TRY) : storeWith(ONE_TRY)
    const job = listen(store)
    await loader.fail()
    expect(store.getState().jobs.build?.status).toBe('failed')
    expect(loader.calls).toBe(1)

    if (signedInFirst) await store.getState().refresh()
    else await store.getState().login(tokenAt(Date.now()))
    expect(loader.calls).toBe(2)
    expect(store.getState().jobs.build?.status).toBe('connecting')
    await loader.finish()
    testbed.sockets.last().authenticate().progress(3)
    expect(job.seqs()).toEqual([3])
  })

  it('a job state removed from outside (a devtools import) does not stop the next round', async () => {
    const { store, job } = await loadFailedOnce(ONE_TRY)
    store.setState({ jobs: {} })
    await store.getState().refresh()
    expect(loader.calls).toBe(2)
    await loader.finish()
    testbed.sockets.last().authenticate().progress(5)
    expect(job.seqs()).toEqual([5])
  })

  it('a sign-out starts no round, nor a new token without waiting listeners', async () => {
    const { store, job } = await loadFailedOnce(ONE_TRY)
    await store.getState().logout()
    expect(loader.calls).toBe(1)
    expect(store.getState().jobs.build?.status).toBe('failed')

    job.unsubscribe()
    await store.getState().login(tokenAt(Date.now()))
    expect(loader.calls).toBe(1)
  })

  it('a disposed store starts no round on a new token', async () => {
    const { store } = await loadFailedOnce(ONE_TRY)
    store.dispose()
    await store.getState().login(tokenAt(Date.now()))
    expect(loader.calls).toBe(1)
  })
})

describe('one load at a time', () => {
  it('a new token while the load is in flight does not start another', async () => {
    const { store } = await signedInStore()
    listen(store)
    await store.getState().refresh()
    expect(loader.calls).toBe(1)
  })

  it('listeners that subscribe while it is in flight do not start another', async () => {
    const { store } = await signedInStore()
    listen(store, 'a')
    listen(store, 'b')
    expect(loader.calls).toBe(1)
    await loader.finish()
    listen(store, 'c')
    expect(loader.calls).toBe(1)
    expect(testbed.sockets.sockets).toHaveLength(3)
  })
})

describe('what it writes', () => {
  it('names each change: one action per job and change', async () => {
    vi.spyOn(console, 'warn').mockImplementation(() => {})
    const devtools = installFakeDevtoolsExtension()
    try {
      const { store } = await signedInStore({ ...STEADY, maxAttempts: 2 }, { devtools: true })
      const job = listen(store)
      await loader.fail()
      await vi.advanceTimersByTimeAsync(1_000)
      await loader.fail()
      listen(store, 'export') // another round
      job.unsubscribe()
      expect(devtools.actionTypes().slice(-6)).toEqual([
        wsActions.connect, // build waits
        wsActions.reconnect, // build: the first load failed
        wsActions.failed, // build: the second one too
        wsActions.connect, // export waits
        wsActions.connect, // build waits again
        wsActions.close, // build's listener left
      ])
    } finally {
      devtools.uninstall()
    }
  })
})
