import { describe, expect, it, vi } from 'vitest'
import { wsActions } from '../../src/websocket/actionNames'
import { createTestStore } from '../utils/createTestStore'
import { listen, setUpJobsTestbed } from '../utils/jobsTestbed'
import { tokenAt } from '../utils/jwt'

/**
 * The slice's decisions, with a scripted WebSocket and fake timers: every delay proved on both
 * sides of its edge. (test/websocket/*.test.ts other than this one run against the real server.)
 */
const MINUTE = 60_000
const testbed = setUpJobsTestbed()
const { signedInStore } = testbed

describe('without the websocket option', () => {
  it('subscribeJob throws a TypeError; the rest of the store works', async () => {
    const { store } = createTestStore({ autoStart: false })
    await store.getState().login(tokenAt(Date.now()))

    expect(() => store.getState().subscribeJob('build', () => {})).toThrow(TypeError)
    expect(store.getState()).toMatchObject({ status: 'authenticated', jobs: {} })
  })

  it.each([
    ['none', undefined],
    ['one that is not a constructor (a leftover stub)', { OPEN: 1 }],
  ])(
    'with no WebSocket option and %s on the platform, subscribeJob says how to pass one',
    async (_, platform) => {
      vi.stubGlobal('WebSocket', platform)
      const { store } = await signedInStore({ WebSocket: undefined })

      expect(() => store.getState().subscribeJob('build', () => {})).toThrow(/websocket\.WebSocket/)
      vi.unstubAllGlobals()
    },
  )
})

describe('token strategies', () => {
  it("'message' (the default): nothing in the URL, the token and resume position in the first message", async () => {
    const { store } = await signedInStore()
    listen(store)
    const socket = testbed.sockets.last().authenticate().progress(1).progress(2)
    const token = store.getState().token

    expect(socket.url).toBe('wss://api.test/ws/jobs/build')
    expect(socket.protocols).toBeUndefined()
    expect(socket.sent).toEqual([{ type: 'auth', token }])

    socket.drop()
    await vi.advanceTimersByTimeAsync(1_000)
    testbed.sockets.last().accept()
    expect(testbed.sockets.last().url).toBe('wss://api.test/ws/jobs/build')
    expect(testbed.sockets.last().sent).toEqual([{ type: 'auth', token, lastSeq: 2 }])
  })

  it("'protocol': Sec-WebSocket-Protocol bearer, <token>; resume in the query", async () => {
    const { store } = await signedInStore({ tokenStrategy: 'protocol' })
    listen(store)
    const first = testbed.sockets.last().authenticate().progress(7)
    expect(first.sent).toEqual([]) // open, and nothing sent: the token went with the handshake
    first.drop()
    await vi.advanceTimersByTimeAsync(1_000)

    expect(testbed.sockets.last().protocols).toEqual(['bearer', store.getState().token])
    expect(testbed.sockets.last().url).toBe('wss://api.test/ws/jobs/build?resume=7')
    expect(testbed.sockets.last().accept().sent).toEqual([])
  })

  it("'query': access_token in the query", async () => {
    const { store } = await signedInStore({
      tokenStrategy: 'query',
      url: () => 'wss://api.test/ws?x=1',
    })
    listen(store)

    expect(testbed.sockets.last().url).toBe(
      `wss://api.test/ws?x=1&access_token=${store.getState().token}`,
    )
    expect(testbed.sockets.last().accept().sent).toEqual([])
  })
})

describe('errors in state', () => {
  it('a socket that cannot be constructed is a failed attempt whose message never quotes the token', async () => {
    class Refuses {
      constructor(url: string) {
        throw new SyntaxError(`Invalid URL: ${url}`)
      }
    }
    const { store } = await signedInStore({ tokenStrategy: 'query', WebSocket: Refuses as never })
    listen(store)

    const job = store.getState().jobs.build
    expect(job).toMatchObject({ status: 'reconnecting', attempts: 1, error: { kind: 'network' } })
    expect(job?.error?.message).toContain('Invalid URL')
    expect(job?.error?.message).not.toContain(store.getState().token)
  })
})

describe('reconnecting', () => {
  it('waits 1 s, then 2 s, … (random = 0.5: no jitter) and resets after a socket delivers', async () => {
    const { store } = await signedInStore()
    listen(store)
    testbed.sockets.last().authenticate().drop()
    expect(store.getState().jobs.build).toMatchObject({ status: 'reconnecting', attempts: 1 })

    await vi.advanceTimersByTimeAsync(999)
    expect(testbed.sockets.sockets).toHaveLength(1)
    await vi.advanceTimersByTimeAsync(1)
    expect(testbed.sockets.sockets).toHaveLength(2)

    testbed.sockets.last().drop()
    await vi.advanceTimersByTimeAsync(1_999)
    expect(testbed.sockets.sockets).toHaveLength(2)
    await vi.advanceTimersByTimeAsync(1)
    expect(testbed.sockets.sockets).toHaveLength(3)

    testbed.sockets.last().authenticate()
    expect(store.getState().jobs.build).toMatchObject({ status: 'open', attempts: 0, error: null })
    testbed.sockets.last().drop()
    await vi.advanceTimersByTimeAsync(1_000)
    expect(testbed.sockets.sockets).toHaveLength(4)
  })

  it('caps the delay at maxDelayMs (30 s)', async () => {
    const { store } = await signedInStore({ maxAttempts: 100 })
    listen(store)
    for (let attempt = 1; attempt <= 6; attempt++) {
      testbed.sockets.last().drop()
      await vi.advanceTimersByTimeAsync(Math.min(1_000 * 2 ** (attempt - 1), 30_000))
    }
    testbed.sockets.last().drop() // the 7th failure: 64 s uncapped

    await vi.advanceTimersByTimeAsync(29_999)
    expect(testbed.sockets.sockets).toHaveLength(7)
    await vi.advanceTimersByTimeAsync(1)
    expect(testbed.sockets.sockets).toHaveLength(8)
  })

  it('after maxAttempts failures: failed, with the error; no more sockets', async () => {
    const { store } = await signedInStore({ maxAttempts: 3 })
    listen(store)
    testbed.sockets.last().drop()
    await vi.advanceTimersByTimeAsync(1_000)
    testbed.sockets.last().drop()
    await vi.advanceTimersByTimeAsync(2_000)
    testbed.sockets.last().drop(1011, 'internal error')

    expect(store.getState().jobs.build).toMatchObject({
      status: 'failed',
      attempts: 3,
      error: {
        kind: 'network',
        message: 'WebSocket closed with code 1011 (internal error)',
        closeCode: 1011,
      },
    })
    await vi.advanceTimersByTimeAsync(10 * MINUTE)
    expect(testbed.sockets.sockets).toHaveLength(3)
    expect(vi.getTimerCount()).toBe(0)
  })

  it('a failed job gets another round when a new token arrives', async () => {
    const { store } = await signedInStore({ maxAttempts: 1 })
    listen(store)
    testbed.sockets.last().drop()
    expect(store.getState().jobs.build?.status).toBe('failed')

    await store.getState().refresh()

    expect(testbed.sockets.sockets).toHaveLength(2)
    testbed.sockets.last().authenticate()
    expect(store.getState().jobs.build).toMatchObject({ status: 'open', attempts: 0 })
  })
})

describe('tokens', () => {
  it('never opens a socket with an expired token: refreshes first, then connects with the new one', async () => {
    const { store, fake } = await signedInStore()
    vi.setSystemTime(Date.now() + 61 * MINUTE)

    listen(store)
    expect(testbed.sockets.sockets).toHaveLength(0)
    await vi.advanceTimersByTimeAsync(0)

    expect(fake.transport.refresh).toHaveBeenCalledTimes(1)
    expect(testbed.sockets.sockets).toHaveLength(1)
    testbed.sockets.last().accept()
    expect(testbed.sockets.last().sent).toEqual([{ type: 'auth', token: fake.issued[0] }])
  })

  it('a 4401 close: exactly one refresh for every job it closes, then each reconnects', async () => {
    const { store, fake } = await signedInStore({ tokenStrategy: 'protocol' })
    listen(store, 'a')
    const first = testbed.sockets.last().authenticate()
    listen(store, 'b')
    const second = testbed.sockets.last().authenticate()
    fake.holdResponses(true)

    first.drop(4401, 'token expired')
    second.drop(4401, 'token expired')
    expect(store.getState().jobs.a).toMatchObject({
      status: 'reconnecting',
      error: { kind: 'unauthorized' },
    })
    fake.holdResponses(false)
    await vi.advanceTimersByTimeAsync(0)

    expect(fake.transport.refresh).toHaveBeenCalledTimes(1)
    expect(testbed.sockets.sockets).toHaveLength(4)
    expect(testbed.sockets.sockets.slice(2).map((socket) => socket.protocols)).toEqual([
      ['bearer', fake.issued[0]],
      ['bearer', fake.issued[0]],
    ])
  })

  it('the old socket expiring (4401) during a handover: no refresh, the new socket carries on', async () => {
    const { store, fake } = await signedInStore({ tokenStrategy: 'protocol' })
    const job = listen(store)
    const old = testbed.sockets.last().authenticate().progress(1)
    await store.getState().refresh()
    const replacement = testbed.sockets.last()

    old.drop(4401, 'token expired')
    expect(store.getState().jobs.build?.status).toBe('reconnecting')
    replacement.authenticate().progress(1).progress(2)

    expect(fake.transport.refresh).toHaveBeenCalledTimes(1)
    expect(testbed.sockets.sockets).toHaveLength(2)
    expect(store.getState().jobs.build).toMatchObject({ status: 'open', attempts: 0 })
    expect(job.seqs()).toEqual([1, 2])
  })

  it('a refresh that fails (network) counts as a failed attempt and is retried with backoff', async () => {
    const { store, fake } = await signedInStore()
    listen(store)
    fake.next('refresh', 'network')
    testbed.sockets.last().authenticate().drop(4401)
    await vi.advanceTimersByTimeAsync(0)

    expect(store.getState().jobs.build).toMatchObject({ status: 'reconnecting', attempts: 2 })
    await vi.advanceTimersByTimeAsync(1_999)
    expect(testbed.sockets.sockets).toHaveLength(1)
    await vi.advanceTimersByTimeAsync(1)
    expect(testbed.sockets.sockets).toHaveLength(2)
  })
})

describe('make-before-break on a new token', () => {
  it('the old socket feeds the listeners until the new one delivers; each seq once, in order', async () => {
    const { store } = await signedInStore({ tokenStrategy: 'query' })
    const job = listen(store)
    const old = testbed.sockets.last().authenticate().progress(1).progress(2)

    await store.getState().refresh()
    const next = testbed.sockets.last()
    expect(next.url).toContain('resume=2')
    old.progress(3).progress(4)
    expect(old.closedByClient).toBeUndefined()
    next.authenticate().progress(3).progress(4).progress(5)
    old.progress(5)

    expect(old.closedByClient).toBe(1000)
    expect(job.seqs()).toEqual([1, 2, 3, 4, 5])
    expect(store.getState().jobs.build?.status).toBe('open')
  })

  it('closes the old socket after handoverTimeoutMs even if the new one never delivers', async () => {
    const { store } = await signedInStore({ tokenStrategy: 'protocol', handoverTimeoutMs: 5_000 })
    listen(store)
    const old = testbed.sockets.last().authenticate()
    await store.getState().refresh()

    await vi.advanceTimersByTimeAsync(4_999)
    expect(old.closedByClient).toBeUndefined()
    await vi.advanceTimersByTimeAsync(1)
    expect(old.closedByClient).toBe(1000)
    expect(store.getState().jobs.build?.status).toBe('reconnecting')
    expect(testbed.sockets.last().isOpen).toBe(true)
  })

  it('messages without a seq come only from the socket that is delivering', async () => {
    const { store } = await signedInStore({ tokenStrategy: 'query' })
    const job = listen(store)
    const old = testbed.sockets.last().authenticate()
    await store.getState().refresh()
    const next = testbed.sockets.last().accept()

    old.deliver({ type: 'note', from: 'old' })
    next.deliver({ type: 'note', from: 'new' })
    old.deliver({ type: 'note', from: 'old, retired' })

    expect(job.events).toEqual([
      { type: 'note', from: 'old' },
      { type: 'note', from: 'new' },
    ])
  })
})

describe("re-auth in place ('message' strategy)", () => {
  it('sends the new token on the open socket: no new socket', async () => {
    const { store } = await signedInStore()
    const job = listen(store)
    const socket = testbed.sockets.last().authenticate().progress(1)

    await store.getState().refresh()
    socket.progress(2).deliver({ type: 'auth_ok' }).progress(3)
    await vi.advanceTimersByTimeAsync(MINUTE)

    expect(socket.sent.at(-1)).toEqual({ type: 'auth', token: store.getState().token })
    expect(testbed.sockets.sockets).toHaveLength(1)
    expect(socket.isOpen).toBe(true)
    expect(job.seqs()).toEqual([1, 2, 3])
  })

  it('no auth_ok within handoverTimeoutMs: a new socket, the old one feeding until it delivers', async () => {
    const { store } = await signedInStore({ handoverTimeoutMs: 3_000 })
    const job = listen(store)
    const old = testbed.sockets.last().authenticate().progress(1)
    await store.getState().refresh()

    await vi.advanceTimersByTimeAsync(2_999)
    expect(testbed.sockets.sockets).toHaveLength(1)
    await vi.advanceTimersByTimeAsync(1)
    expect(testbed.sockets.sockets).toHaveLength(2)
    old.progress(2)
    testbed.sockets.last().accept()
    expect(testbed.sockets.last().sent).toEqual([
      { type: 'auth', token: store.getState().token, lastSeq: 2 },
    ])
    testbed.sockets.last().authenticate().progress(3)

    expect(old.closedByClient).toBe(1000)
    expect(job.seqs()).toEqual([1, 2, 3])
  })

  it('the server closing the socket instead of acking: reconnects at once', async () => {
    const { store, fake } = await signedInStore()
    listen(store)
    testbed.sockets.last().authenticate()
    await store.getState().refresh()

    testbed.sockets.last().drop(4401, 'invalid token')

    expect(testbed.sockets.sockets).toHaveLength(2)
    expect(fake.transport.refresh).toHaveBeenCalledTimes(1)
    expect(store.getState().jobs.build?.status).toBe('reconnecting')
  })

  it('reauthInPlace: false uses make-before-break with the message strategy too', async () => {
    const { store } = await signedInStore({ reauthInPlace: false })
    listen(store)
    const old = testbed.sockets.last().authenticate()
    await store.getState().refresh()

    expect(testbed.sockets.sockets).toHaveLength(2)
    expect(old.sent).toHaveLength(1)
  })
})

describe('listeners and state', () => {
  it('one socket per job whatever the listener count; the last unsubscribe closes it and removes the job', async () => {
    const { store } = await signedInStore()
    const first = listen(store)
    const second = listen(store)
    testbed.sockets.last().authenticate().progress(1)

    first.unsubscribe()
    first.unsubscribe()
    expect(testbed.sockets.last().closedByClient).toBeUndefined()
    testbed.sockets.last().progress(2)
    second.unsubscribe()

    expect(testbed.sockets.sockets).toHaveLength(1)
    expect(testbed.sockets.last().closedByClient).toBe(1000)
    expect(first.seqs()).toEqual([1])
    expect(second.seqs()).toEqual([1, 2])
    expect(store.getState().jobs).toEqual({})
  })

  it('unsubscribing while the socket connects closes it; during a backoff, clears the timer', async () => {
    const { store } = await signedInStore()
    listen(store, 'a').unsubscribe()
    expect(testbed.sockets.last().closedByClient).toBe(1000)

    const b = listen(store, 'b')
    testbed.sockets.last().drop()
    expect(vi.getTimerCount()).toBe(1)
    b.unsubscribe()
    expect(vi.getTimerCount()).toBe(0)
    expect(store.getState().jobs).toEqual({})
  })

  it('a store listener that disposes the store on the reconnecting write leaves no retry timer', async () => {
    const { store } = await signedInStore()
    listen(store, 'b')
    store.subscribe((state) => {
      if (state.jobs.b?.status === 'reconnecting') store.dispose()
    })
    testbed.sockets.last().drop()
    expect(vi.getTimerCount()).toBe(0)
    await vi.advanceTimersByTimeAsync(10 * MINUTE)
    expect(testbed.sockets.sockets).toHaveLength(1)
  })

  it('a listener that throws does not stop the others', async () => {
    vi.spyOn(console, 'warn').mockImplementation(() => {})
    const { store } = await signedInStore()
    store.getState().subscribeJob('build', () => {
      throw new Error('broken listener')
    })
    const job = listen(store)
    testbed.sockets.last().authenticate().progress(1).progress(2)

    expect(job.seqs()).toEqual([1, 2])
    expect(console.warn).toHaveBeenCalledWith(expect.stringContaining('broken listener'))
  })

  it('writes lastSeq / lastEventAt at most once a second per job, and catches up', async () => {
    const { store } = await signedInStore()
    const job = listen(store)
    const socket = testbed.sockets.last().authenticate()
    const openedAt = Date.now()
    const writes: Array<number | null | undefined> = []
    store.subscribe((state, previous) => {
      const seq = state.jobs.build?.lastSeq
      if (seq !== previous.jobs.build?.lastSeq) writes.push(seq)
    })

    // 50 events in the first half second: listeners get each one, the store none yet (the
    // ws/open write just now started the interval).
    for (let seq = 1; seq <= 50; seq++) {
      socket.progress(seq)
      await vi.advanceTimersByTimeAsync(10)
    }
    expect(job.seqs()).toHaveLength(50)
    await vi.advanceTimersByTimeAsync(openedAt + 999 - Date.now())
    expect(writes).toEqual([])
    await vi.advanceTimersByTimeAsync(1)
    expect(writes).toEqual([50])
    expect(store.getState().jobs.build).toMatchObject({ lastSeq: 50, lastEventAt: openedAt + 490 })

    // Idle for over a second: the next event is written at once.
    await vi.advanceTimersByTimeAsync(5_000)
    socket.progress(51)
    expect(writes).toEqual([50, 51])
  })

  it('sign-out closes the sockets in one write and keeps listeners; sign-in reopens', async () => {
    const { store } = await signedInStore()
    const job = listen(store)
    testbed.sockets.last().authenticate().progress(1)
    const actions: number[] = []
    store.subscribe(() => actions.push(1))

    await store.getState().logout()

    expect(testbed.sockets.last().closedByClient).toBe(1000)
    expect(store.getState().jobs.build?.status).toBe('closed')
    await store.getState().login(tokenAt(Date.now()))
    testbed.sockets.last().authenticate().progress(2)
    expect(job.seqs()).toEqual([1, 2])
    expect(store.getState().jobs.build?.status).toBe('open')
    expect(wsActions.close).toBe('ws/close')
  })
})
