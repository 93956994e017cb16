import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import type { JobEvent } from '../../src/websocket/jobState'
import type { WebSocketOptions } from '../../src/websocket/websocketOptions'
import { installFakeDevtoolsExtension } from '../utils/fakeDevtoolsExtension'
import { createFakeWebSockets, type FakeSocket } from '../utils/fakeWebSocket'
import { type JobsStore, jobUrl, listen, setUpJobsTestbed } from '../utils/jobsTestbed'
import { tokenAt } from '../utils/jwt'

/**
 * The jobs slice at its edges, with a scripted WebSocket and fake timers: option validation,
 * defaults, what a misbehaving server sends, and a token that changes at awkward moments.
 */
const MINUTE = 60_000
const testbed = setUpJobsTestbed()
const { storeWith, signedInStore } = testbed
const URL = jobUrl('build')

const jobOf = (store: JobsStore) => store.getState().jobs.build

/**
 * The status of every write of the job to the store. (A write made while the store notifies
 * another change reaches later listeners twice: each job object is counted once.)
 */
function jobWrites(store: JobsStore) {
  const statuses: Array<string | undefined> = []
  let last = jobOf(store)
  store.subscribe((state) => {
    if (state.jobs.build === last) return
    last = state.jobs.build
    statuses.push(last?.status)
  })
  return statuses
}

/** Sends `data` to the client as is, not JSON-encoded: what a misbehaving server might. */
const deliverRaw = (socket: FakeSocket, data: unknown) =>
  (socket as unknown as { emit(type: string, event: unknown): void }).emit('message', { data })

describe('option validation: a clear TypeError when the store is created', () => {
  it('a url that is not a function', () => {
    expect(() => storeWith({ url: 'wss://api.test/ws' as never })).toThrow(
      new TypeError('[zustand-auth-session] `websocket.url` must be a function of the job name'),
    )
  })

  it('an unknown token strategy', () => {
    expect(() => storeWith({ tokenStrategy: 'header' as never })).toThrow(
      new TypeError(
        '[zustand-auth-session] `websocket.tokenStrategy` must be one of message, protocol, query',
      ),
    )
  })

  it.each([
    ['maxAttempts', { maxAttempts: 0 }],
    ['handoverTimeoutMs', { handoverTimeoutMs: 0 }],
    ['progressWriteIntervalMs', { progressWriteIntervalMs: 0 }],
    ['reconnect.initialDelayMs', { reconnect: { initialDelayMs: 0 } }],
    ['reconnect.factor', { reconnect: { factor: 0 } }],
    ['reconnect.maxDelayMs', { reconnect: { maxDelayMs: 0 } }],
  ] as const)('%s: 0 is refused, naming the option', (name, options) => {
    expect(() => storeWith(options)).toThrow(
      new TypeError(
        `[zustand-auth-session] \`websocket.${name}\` must be a positive number, got 0`,
      ),
    )
  })

  it.each([
    [-1, 'got -1'],
    [Number.NaN, 'got NaN'],
    ['5', 'got 5'],
  ] as const)('maxAttempts %s is refused (%s)', (value, got) => {
    expect(() => storeWith({ maxAttempts: value as number })).toThrow(
      new TypeError(
        `[zustand-auth-session] \`websocket.maxAttempts\` must be a positive number, ${got}`,
      ),
    )
  })

  it('maxAttempts Infinity is accepted: the job never gives up', async () => {
    const { store } = await signedInStore({ maxAttempts: Number.POSITIVE_INFINITY })
    listen(store)
    for (let attempt = 1; attempt <= 12; attempt++) {
      testbed.sockets.last().drop()
      await vi.advanceTimersByTimeAsync(30_000)
    }

    expect(jobOf(store)).toMatchObject({ status: 'reconnecting', attempts: 12 })
    expect(testbed.sockets.sockets).toHaveLength(13)
  })
})

describe('defaults', () => {
  it('jitter ±20 %: random 0 waits 800 ms, random 1 waits 1 200 ms', async () => {
    const early = await signedInStore({}, { random: () => 0 })
    listen(early.store)
    testbed.sockets.last().drop()
    await vi.advanceTimersByTimeAsync(799)
    expect(testbed.sockets.sockets).toHaveLength(1)
    await vi.advanceTimersByTimeAsync(1)
    expect(testbed.sockets.sockets).toHaveLength(2)

    const late = await signedInStore({}, { random: () => 1 })
    listen(late.store)
    testbed.sockets.last().drop()
    await vi.advanceTimersByTimeAsync(1_199)
    expect(testbed.sockets.sockets).toHaveLength(3)
    await vi.advanceTimersByTimeAsync(1)
    expect(testbed.sockets.sockets).toHaveLength(4)
  })

  it('reconnect options replace the defaults: 300 ms, ×3, capped at 2 s', async () => {
    const { store } = await signedInStore({
      reconnect: { initialDelayMs: 300, factor: 3, maxDelayMs: 2_000, jitter: 0 },
    })
    listen(store)
    for (const delay of [300, 900, 2_000]) {
      const before = testbed.sockets.sockets.length
      testbed.sockets.last().drop()
      await vi.advanceTimersByTimeAsync(delay - 1)
      expect(testbed.sockets.sockets).toHaveLength(before)
      await vi.advanceTimersByTimeAsync(1)
      expect(testbed.sockets.sockets).toHaveLength(before + 1)
    }
  })

  it('maxAttempts 8: still reconnecting after 7 failures, failed at the 8th', async () => {
    const { store } = await signedInStore()
    listen(store)
    for (let attempt = 1; attempt <= 7; attempt++) {
      testbed.sockets.last().drop()
      await vi.advanceTimersByTimeAsync(30_000)
    }
    expect(jobOf(store)).toMatchObject({ status: 'reconnecting', attempts: 7 })

    testbed.sockets.last().drop()

    expect(jobOf(store)).toMatchObject({ status: 'failed', attempts: 8 })
    await vi.advanceTimersByTimeAsync(10 * MINUTE)
    expect(testbed.sockets.sockets).toHaveLength(8)
  })

  it('handoverTimeoutMs 5 s: the old socket is closed 5 s after a new token', async () => {
    const { store } = await signedInStore({ tokenStrategy: 'protocol' })
    listen(store)
    const old = testbed.sockets.last().authenticate()
    await store.getState().refresh()

    await vi.advanceTimersByTimeAsync(4_999)
    expect(old.closedByClient).toBeUndefined()
    await vi.advanceTimersByTimeAsync(1)
    expect(old.closedByClient).toBe(1000)
  })

  it('an in-place re-auth waits 5 s for its auth_ok before opening a new socket', async () => {
    const { store } = await signedInStore()
    listen(store)
    testbed.sockets.last().authenticate()
    await store.getState().refresh()

    await vi.advanceTimersByTimeAsync(4_999)
    expect(testbed.sockets.sockets).toHaveLength(1)
    await vi.advanceTimersByTimeAsync(1)
    expect(testbed.sockets.sockets).toHaveLength(2)
  })

  it('close code 1008 is an auth close: one refresh, then a socket with the new token', async () => {
    const { store, fake } = await signedInStore({ tokenStrategy: 'protocol' })
    listen(store)
    testbed.sockets.last().authenticate().drop(1008, 'policy violation')

    expect(jobOf(store)).toMatchObject({
      status: 'reconnecting',
      attempts: 1,
      error: { kind: 'unauthorized', closeCode: 1008 },
    })
    await vi.advanceTimersByTimeAsync(0)
    expect(fake.transport.refresh).toHaveBeenCalledTimes(1)
    expect(testbed.sockets.last().protocols).toEqual(['bearer', fake.issued[0]])
  })

  it('authCloseCodes replaces the defaults: 4000 refreshes, 4401 is a network loss', async () => {
    const { store, fake } = await signedInStore({ authCloseCodes: [4000] })
    listen(store)
    testbed.sockets.last().authenticate().drop(4401)
    expect(jobOf(store)?.error).toMatchObject({ kind: 'network', closeCode: 4401 })
    await vi.advanceTimersByTimeAsync(1_000)
    expect(fake.transport.refresh).not.toHaveBeenCalled()
    expect(testbed.sockets.sockets).toHaveLength(2)

    testbed.sockets.last().authenticate().drop(4000)
    await vi.advanceTimersByTimeAsync(0)

    expect(jobOf(store)?.error).toMatchObject({ kind: 'unauthorized', closeCode: 4000 })
    expect(fake.transport.refresh).toHaveBeenCalledTimes(1)
    expect(testbed.sockets.sockets).toHaveLength(3)
  })

  it('uses the platform WebSocket when none is passed, and the one passed over it', async () => {
    const platform = createFakeWebSockets()
    vi.stubGlobal('WebSocket', platform.WebSocket)
    const { store } = await signedInStore({ WebSocket: undefined })
    listen(store)
    expect(platform.sockets.map((socket) => socket.url)).toEqual([URL])

    const { store: withOwn } = await signedInStore()
    listen(withOwn)
    expect(platform.sockets).toHaveLength(1)
    expect(testbed.sockets.sockets).toHaveLength(1)
  })
})

describe('progress writes to the store', () => {
  it('an event exactly one interval after the last write is written at once, one before is not', async () => {
    const { store } = await signedInStore()
    listen(store)
    const socket = testbed.sockets.last().authenticate()

    await vi.advanceTimersByTimeAsync(999)
    socket.progress(1)
    expect(jobOf(store)?.lastSeq).toBeNull()
    await vi.advanceTimersByTimeAsync(1)
    expect(jobOf(store)?.lastSeq).toBe(1)

    await vi.advanceTimersByTimeAsync(1_000)
    socket.progress(2)
    expect(jobOf(store)).toMatchObject({ lastSeq: 2, lastEventAt: Date.now() })
  })

  it('progressWriteIntervalMs sets the interval', async () => {
    const { store } = await signedInStore({ progressWriteIntervalMs: 250 })
    listen(store)
    const socket = testbed.sockets.last().authenticate()

    await vi.advanceTimersByTimeAsync(100)
    socket.progress(1)
    await vi.advanceTimersByTimeAsync(149)
    expect(jobOf(store)?.lastSeq).toBeNull()
    await vi.advanceTimersByTimeAsync(1)
    expect(jobOf(store)?.lastSeq).toBe(1)
  })

  /** Job `build` open for 5 s, its one listener unsubscribing on the progress with `seq`. */
  const listenerLeavingOn = async (seq: number) => {
    const { store } = await signedInStore()
    const unsubscribe = store.getState().subscribeJob('build', (event) => {
      if (event.seq === seq) unsubscribe()
    })
    const socket = testbed.sockets.last().authenticate()
    await vi.advanceTimersByTimeAsync(5_000)
    return { store, socket }
  }

  it('a listener that unsubscribes on the progress it waited for: the job leaves the store for good', async () => {
    const { store, socket } = await listenerLeavingOn(1)

    socket.progress(1)
    await vi.advanceTimersByTimeAsync(5_000)

    expect(store.getState().jobs).toEqual({})
    expect(socket.closedByClient).toBe(1000)
  })

  it('a listener that unsubscribes within the write interval: no progress-write timer outlives the job', async () => {
    const { store, socket } = await listenerLeavingOn(2)
    socket.progress(1) // written at once, so the next one falls within the interval

    socket.progress(2)

    expect(socket.closedByClient).toBe(1000)
    expect(store.getState().jobs).toEqual({})
    expect(vi.getTimerCount()).toBe(0)
  })

  it('a message without a seq, or a seq already delivered, writes nothing', async () => {
    const { store } = await signedInStore()
    listen(store)
    const socket = testbed.sockets.last().authenticate().progress(1)
    await vi.advanceTimersByTimeAsync(5_000)
    const before = jobOf(store)
    expect(before?.lastSeq).toBe(1)

    socket.deliver({ type: 'note' }).progress(1)
    await vi.advanceTimersByTimeAsync(5_000)

    expect(jobOf(store)).toBe(before)
  })
})

describe('what a server should not send', () => {
  it.each([
    ['text that is not JSON', 'hello'],
    ['JSON null', 'null'],
    ['a JSON number', '42'],
    ['a JSON string', '"auth_ok"'],
    ['a JSON array', '[{"type":"progress","seq":1}]'],
    ['a binary frame', Buffer.from('{"type":"progress","seq":1}')],
  ])('%s is ignored with a warning: no event, the socket not yet delivering', async (_, data) => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {})
    const { store } = await signedInStore()
    const job = listen(store)
    const socket = testbed.sockets.last().accept()

    deliverRaw(socket, data)

    expect(job.events).toEqual([])
    expect(jobOf(store)?.status).toBe('connecting')
    expect(warn).toHaveBeenCalledWith(
      '[zustand-auth-session] a job socket sent something that is not a JSON object; ignored',
    )
    socket.deliver({ type: 'auth_ok' }).progress(1)
    expect(jobOf(store)?.status).toBe('open')
    expect(job.seqs()).toEqual([1])
  })

  it('a seq that is not finite (1e999) is not progress: passed on, and later seqs still count', async () => {
    const { store } = await signedInStore()
    const job = listen(store)
    const socket = testbed.sockets.last().authenticate()

    deliverRaw(socket, '{"type":"progress","seq":1e999}')
    socket.progress(1)

    expect(job.seqs()).toEqual([Number.POSITIVE_INFINITY, 1])
    await vi.advanceTimersByTimeAsync(1_000)
    expect(jobOf(store)?.lastSeq).toBe(1)
  })

  it('a reason longer than 300 characters is cut; a token in it is redacted', async () => {
    const { store } = await signedInStore({ maxAttempts: 10 })
    listen(store)
    testbed.sockets.last().drop(1011, 'x'.repeat(400))
    const message = jobOf(store)?.error?.message ?? ''
    expect(message).toHaveLength(300)
    expect(message.startsWith('WebSocket closed with code 1011 (xxx')).toBe(true)

    await vi.advanceTimersByTimeAsync(1_000)
    const token = store.getState().token ?? ''
    testbed.sockets.last().drop(4401, `expired: ${token}`)
    expect(jobOf(store)?.error?.message).toBe(
      'WebSocket closed with code 4401 (expired: eyJ…(redacted))',
    )
  })

  it('a close without a reason says only the code', async () => {
    const { store } = await signedInStore()
    listen(store)
    testbed.sockets.last().authenticate().drop()

    expect(jobOf(store)?.error).toEqual({
      kind: 'network',
      message: 'WebSocket closed with code 1006',
      closeCode: 1006,
    })
  })
})

describe('the WebSocket constructor and socket methods', () => {
  it('is called with the URL alone when there are no subprotocols', async () => {
    const argumentCounts: number[] = []
    class Counting extends testbed.sockets.WebSocket {
      constructor(...args: [string, (string | string[])?]) {
        super(...args)
        argumentCounts.push(args.length)
      }
    }
    const { store } = await signedInStore({ WebSocket: Counting })
    listen(store, 'a')
    const { store: withProtocol } = await signedInStore({
      WebSocket: Counting,
      tokenStrategy: 'protocol',
    })
    listen(withProtocol, 'b')

    expect(argumentCounts).toEqual([1, 2])
  })

  it('a constructor that throws something other than an Error: its text is the message', async () => {
    class Refuses {
      constructor() {
        throw 'no sockets today'
      }
    }
    const { store } = await signedInStore({ WebSocket: Refuses as never })
    listen(store)

    expect(jobOf(store)).toMatchObject({
      status: 'reconnecting',
      attempts: 1,
      error: { kind: 'network', message: 'Could not open the socket: no sockets today' },
    })
  })

  it("a constructor error quoting the URL ('query') has the token replaced", async () => {
    class Refuses {
      constructor(url: string) {
        throw new SyntaxError(`Invalid URL: ${url}`)
      }
    }
    const { store } = await signedInStore({ tokenStrategy: 'query', WebSocket: Refuses as never })
    listen(store)

    expect(jobOf(store)?.error).toEqual({
      kind: 'network',
      message: `Could not open the socket: Invalid URL: ${URL}?access_token=…(redacted)`,
    })
  })

  it('send() and close() that throw are absorbed: the close event decides', async () => {
    class Fragile extends testbed.sockets.WebSocket {
      override send(): void {
        throw new Error('InvalidStateError: still CONNECTING')
      }
      override close(): void {
        throw new Error('close() on a socket that never opened')
      }
    }
    const { store } = await signedInStore({ WebSocket: Fragile })
    const job = listen(store)
    const socket = testbed.sockets.last()

    expect(() => socket.accept()).not.toThrow()
    socket.drop()
    expect(jobOf(store)).toMatchObject({ status: 'reconnecting', attempts: 1 })
    expect(() => job.unsubscribe()).not.toThrow()
    expect(store.getState().jobs).toEqual({})
  })

  it('a socket retired before it opened sends no auth message when it opens', async () => {
    const { store } = await signedInStore()
    listen(store).unsubscribe()
    const socket = testbed.sockets.last()

    socket.accept()

    expect(socket.closedByClient).toBe(1000)
    expect(socket.sent).toEqual([])
  })

  it('signed out by a store listener as the job opens: the message that opened it is not passed on', async () => {
    const { store } = await signedInStore({ tokenStrategy: 'protocol' })
    const job = listen(store)
    store.subscribe((state) => {
      if (state.token !== null && state.jobs.build?.status === 'open') void state.logout()
    })

    testbed.sockets.last().accept().progress(1)

    expect(store.getState().status).toBe('signedOut')
    expect(jobOf(store)?.status).toBe('closed')
    expect(job.events).toEqual([])
  })

  it('a socket retired after a handover is silent: its late progress and close change nothing', async () => {
    const { store } = await signedInStore({ tokenStrategy: 'query' })
    const job = listen(store)
    const old = testbed.sockets.last().authenticate().progress(1)
    await store.getState().refresh()
    testbed.sockets.last().authenticate().progress(2)
    expect(old.closedByClient).toBe(1000)

    old.progress(3).drop()
    await vi.advanceTimersByTimeAsync(MINUTE)

    expect(job.seqs()).toEqual([1, 2])
    expect(jobOf(store)).toMatchObject({ status: 'open', attempts: 0, lastSeq: 2 })
    expect(testbed.sockets.sockets).toHaveLength(2)
  })

  it('a socket whose close() fires its close event at once: closing it on purpose is no failure', async () => {
    class ClosesAtOnce extends testbed.sockets.WebSocket {
      override close(code?: number): void {
        super.close(code)
        this.drop(code)
      }
    }
    const { store } = await signedInStore({ WebSocket: ClosesAtOnce })
    listen(store)
    testbed.sockets.last().authenticate()
    const statuses = jobWrites(store)

    await store.getState().logout()

    expect(statuses).toEqual(['closed'])
    expect(jobOf(store)).toMatchObject({ status: 'closed', attempts: 0, error: null })
  })
})

describe('the URL', () => {
  it('query parameters go before a #hash', async () => {
    const { store } = await signedInStore({
      tokenStrategy: 'protocol',
      url: () => `${URL}#live`,
    })
    listen(store)
    testbed.sockets.last().authenticate().progress(3).drop()
    await vi.advanceTimersByTimeAsync(1_000)

    expect(testbed.sockets.sockets.map((socket) => socket.url)).toEqual([
      `${URL}#live`,
      `${URL}?resume=3#live`,
    ])
  })

  it('resumes from 0 once the job delivered, and from nowhere before', async () => {
    const { store } = await signedInStore({ tokenStrategy: 'protocol' })
    listen(store)
    testbed.sockets.last().drop()
    await vi.advanceTimersByTimeAsync(1_000)
    expect(testbed.sockets.last().url).toBe(URL)

    testbed.sockets.last().authenticate().drop()
    await vi.advanceTimersByTimeAsync(1_000)
    expect(testbed.sockets.last().url).toBe(`${URL}?resume=0`)
  })

  it("'message': a reconnect after delivering without progress sends lastSeq 0", async () => {
    const { store } = await signedInStore()
    listen(store)
    testbed.sockets.last().authenticate().drop()
    await vi.advanceTimersByTimeAsync(1_000)
    testbed.sockets.last().accept()

    expect(testbed.sockets.last().sent).toEqual([
      { type: 'auth', token: store.getState().token, lastSeq: 0 },
    ])
  })
})

describe('listeners', () => {
  it('subscribeJob without a function throws a TypeError', async () => {
    const { store } = await signedInStore()

    expect(() => store.getState().subscribeJob('build', 'not a function' as never)).toThrow(
      new TypeError('[zustand-auth-session] subscribeJob() needs a listener function'),
    )
    expect(testbed.sockets.sockets).toHaveLength(0)
  })

  it('after dispose, subscribeJob opens nothing and writes nothing', async () => {
    const { store } = await signedInStore()
    store.dispose()

    const job = listen(store)
    job.unsubscribe()

    expect(testbed.sockets.sockets).toHaveLength(0)
    expect(store.getState().jobs).toEqual({})
  })

  it('unsubscribed by a store listener as the job starts reconnecting: no socket later', async () => {
    const { store } = await signedInStore()
    const job = listen(store)
    store.subscribe((state) => {
      if (state.jobs.build?.status === 'reconnecting') job.unsubscribe()
    })

    testbed.sockets.last().authenticate().drop()
    await vi.advanceTimersByTimeAsync(MINUTE)

    expect(testbed.sockets.sockets).toHaveLength(1)
    expect(store.getState().jobs).toEqual({})
  })

  it('sign-out clears the failure count and the error; the job waits, closed', async () => {
    const { store } = await signedInStore()
    listen(store)
    testbed.sockets.last().drop()
    expect(jobOf(store)).toMatchObject({ attempts: 1, error: { kind: 'network' } })

    await store.getState().logout()

    expect(jobOf(store)).toMatchObject({ status: 'closed', attempts: 0, error: null })
    await vi.advanceTimersByTimeAsync(MINUTE)
    expect(testbed.sockets.sockets).toHaveLength(1)
  })

  it('dispose closes every job: sockets closed, backoff timers cleared, nothing reopens', async () => {
    const { store } = await signedInStore()
    listen(store, 'a')
    const open = testbed.sockets.last().authenticate()
    listen(store, 'b')
    testbed.sockets.last().drop()

    store.dispose()

    expect(open.closedByClient).toBe(1000)
    await vi.advanceTimersByTimeAsync(MINUTE)
    expect(testbed.sockets.sockets).toHaveLength(2)
  })

  it('the same function subscribed twice gets each event twice until one is removed', async () => {
    const { store } = await signedInStore()
    const seen: unknown[] = []
    const listener = (event: JobEvent) => seen.push(event.seq)
    const first = store.getState().subscribeJob('build', listener)
    store.getState().subscribeJob('build', listener)
    const socket = testbed.sockets.last().authenticate().progress(1)

    first()
    socket.progress(2)

    expect(seen).toEqual([1, 1, 2])
  })

  it('a listener that throws is reported with the job name', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {})
    const { store } = await signedInStore()
    store.getState().subscribeJob('build', () => {
      throw new Error('broken')
    })
    testbed.sockets.last().authenticate().progress(1)

    expect(warn).toHaveBeenCalledWith(
      '[zustand-auth-session] a listener of job "build" threw: broken',
    )
  })

  it('a stream that counts from 0: its first event (seq 0) is passed on', async () => {
    const { store } = await signedInStore()
    const job = listen(store)

    testbed.sockets.last().authenticate().progress(0).progress(1)

    expect(job.seqs()).toEqual([0, 1])
  })

  it('an unsubscribe called again after the job was subscribed anew leaves the new subscription alone', async () => {
    const { store } = await signedInStore()
    const first = listen(store)
    first.unsubscribe()
    const second = listen(store)
    const socket = testbed.sockets.last().authenticate()

    first.unsubscribe()
    socket.progress(1)

    expect(socket.isOpen).toBe(true)
    expect(jobOf(store)?.status).toBe('open')
    expect(second.seqs()).toEqual([1])
  })

  it('after dispose, the last unsubscribe writes nothing', async () => {
    const { store } = await signedInStore()
    const job = listen(store)
    testbed.sockets.last().authenticate()
    store.dispose()
    const before = store.getState().jobs

    job.unsubscribe()

    expect(store.getState().jobs).toBe(before)
  })
})

describe('a new token at awkward moments', () => {
  it('while the socket is still connecting: it is closed at once and replaced', async () => {
    const { store } = await signedInStore()
    const job = listen(store)
    const first = testbed.sockets.last().accept()
    const firstToken = store.getState().token

    await store.getState().refresh()

    expect(first.closedByClient).toBe(1000)
    expect(first.sent).toEqual([{ type: 'auth', token: firstToken }])
    expect(testbed.sockets.sockets).toHaveLength(2)
    expect(jobOf(store)?.status).toBe('connecting')
    testbed.sockets.last().accept().deliver({ type: 'auth_ok' }).progress(1)
    expect(testbed.sockets.last().sent).toEqual([{ type: 'auth', token: store.getState().token }])
    expect(jobOf(store)).toMatchObject({ status: 'open', attempts: 0 })
    expect(job.seqs()).toEqual([1])
  })

  it('twice during a handover: the newest socket replaces the one not delivering yet', async () => {
    const { store } = await signedInStore({ tokenStrategy: 'protocol' })
    const job = listen(store)
    const old = testbed.sockets.last().authenticate().progress(1)
    await store.getState().refresh()
    const second = testbed.sockets.last()
    await store.getState().refresh()
    const third = testbed.sockets.last()

    expect(second.closedByClient).toBe(1000)
    expect(third.protocols).toEqual(['bearer', store.getState().token])
    old.progress(2)
    expect(old.isOpen).toBe(true)
    third.authenticate().progress(2).progress(3)

    expect(old.closedByClient).toBe(1000)
    expect(job.seqs()).toEqual([1, 2, 3])
  })

  it('the new socket failing during a handover: the old one is closed too, and the job reconnects', async () => {
    const { store } = await signedInStore({ tokenStrategy: 'protocol' })
    const job = listen(store)
    const old = testbed.sockets.last().authenticate().progress(1)
    await store.getState().refresh()

    testbed.sockets.last().drop()

    expect(old.closedByClient).toBe(1000)
    expect(jobOf(store)).toMatchObject({ status: 'reconnecting', attempts: 1 })
    old.progress(2)
    await vi.advanceTimersByTimeAsync(1_000)
    expect(testbed.sockets.last().url).toBe(`${URL}?resume=1`)
    testbed.sockets.last().authenticate().progress(2)
    expect(job.seqs()).toEqual([1, 2])
  })

  it('the handover is invisible in state: no write when the new socket takes over', async () => {
    const { store } = await signedInStore({ tokenStrategy: 'protocol' })
    listen(store)
    testbed.sockets.last().authenticate()
    const before = jobOf(store)
    await store.getState().refresh()

    testbed.sockets.last().authenticate()

    expect(jobOf(store)).toBe(before)
    expect(testbed.sockets.sockets[0]?.closedByClient).toBe(1000)
  })

  it('during a backoff: no new socket until the retry, which carries the new token', async () => {
    const { store } = await signedInStore({ tokenStrategy: 'protocol' })
    listen(store)
    testbed.sockets.last().authenticate().drop()

    await store.getState().refresh()
    expect(testbed.sockets.sockets).toHaveLength(1)
    await vi.advanceTimersByTimeAsync(999)
    expect(testbed.sockets.sockets).toHaveLength(1)
    await vi.advanceTimersByTimeAsync(1)

    expect(testbed.sockets.sockets).toHaveLength(2)
    expect(testbed.sockets.last().protocols).toEqual(['bearer', store.getState().token])
  })

  it('after a reconnect: the job moves onto the new token as before', async () => {
    const { store } = await signedInStore({ tokenStrategy: 'protocol' })
    listen(store)
    testbed.sockets.last().authenticate().drop()
    await vi.advanceTimersByTimeAsync(1_000)
    testbed.sockets.last().authenticate()

    await store.getState().refresh()

    expect(testbed.sockets.sockets).toHaveLength(3)
    expect(testbed.sockets.last().protocols).toEqual(['bearer', store.getState().token])
  })

  it('for a failed job: the attempts start over, so it gets a whole new round', async () => {
    const { store } = await signedInStore({ maxAttempts: 2 })
    listen(store)
    testbed.sockets.last().drop()
    await vi.advanceTimersByTimeAsync(1_000)
    testbed.sockets.last().drop()
    expect(jobOf(store)).toMatchObject({ status: 'failed', attempts: 2 })

    await store.getState().refresh()
    expect(jobOf(store)).toMatchObject({ status: 'reconnecting', attempts: 0 })
    testbed.sockets.last().drop()

    expect(jobOf(store)).toMatchObject({ status: 'reconnecting', attempts: 1 })
  })

  it('while the job reports an auth close (the app signs in again): used at once, no refresh', async () => {
    const { store, fake } = await signedInStore({ tokenStrategy: 'protocol' })
    listen(store)
    const replacement = tokenAt(Date.now())
    let signedInAgain: Promise<void> | undefined
    store.subscribe((state) => {
      if (signedInAgain || state.jobs.build?.error?.kind !== 'unauthorized') return
      signedInAgain = state.login(replacement)
    })

    testbed.sockets.last().authenticate().drop(4401)

    await expect(signedInAgain).resolves.toBeUndefined()
    expect(fake.transport.refresh).not.toHaveBeenCalled()
    expect(testbed.sockets.sockets).toHaveLength(2)
    expect(testbed.sockets.last().protocols).toEqual(['bearer', replacement])
    testbed.sockets.last().authenticate()
    expect(jobOf(store)).toMatchObject({ status: 'open', attempts: 0, error: null })
  })

  it('signed out by a store listener when the job reports unauthorized: no socket is opened', async () => {
    const { store } = await signedInStore({ tokenStrategy: 'protocol' })
    listen(store)
    store.subscribe((state) => {
      if (state.token !== null && state.jobs.build?.error?.kind === 'unauthorized') {
        void state.logout()
      }
    })

    testbed.sockets.last().authenticate().drop(4401)
    await vi.advanceTimersByTimeAsync(MINUTE)

    expect(testbed.sockets.sockets).toHaveLength(1)
    expect(jobOf(store)?.status).toBe('closed')
  })

  it('a re-auth the server refuses (closes): a new socket at once, the attempt not counted', async () => {
    const { store } = await signedInStore()
    listen(store)
    testbed.sockets.last().authenticate()
    await store.getState().refresh()

    testbed.sockets.last().drop(4401, 'invalid token')

    expect(jobOf(store)).toMatchObject({
      status: 'reconnecting',
      attempts: 0,
      error: {
        kind: 'unauthorized',
        message: 'WebSocket closed with code 4401 (invalid token)',
        closeCode: 4401,
      },
    })
    expect(testbed.sockets.sockets).toHaveLength(2)
  })

  it('a re-auth refused while a store listener signs out on that write: no new socket', async () => {
    const { store } = await signedInStore()
    listen(store)
    testbed.sockets.last().authenticate()
    await store.getState().refresh()
    store.subscribe((state) => {
      if (state.jobs.build?.status === 'reconnecting' && state.token !== null) void state.logout()
    })

    testbed.sockets.last().drop(4401, 'invalid token')
    await vi.advanceTimersByTimeAsync(MINUTE)

    expect(testbed.sockets.sockets).toHaveLength(1)
    expect(jobOf(store)?.status).toBe('closed')
  })

  it('a re-auth refused while a store listener unsubscribes the job on that write: no new socket', async () => {
    const { store } = await signedInStore()
    const job = listen(store)
    testbed.sockets.last().authenticate()
    await store.getState().refresh()
    store.subscribe((state) => {
      if (state.jobs.build?.status === 'reconnecting') job.unsubscribe()
    })

    testbed.sockets.last().drop(4401, 'invalid token')
    await vi.advanceTimersByTimeAsync(MINUTE)

    expect(testbed.sockets.sockets).toHaveLength(1)
    expect(store.getState().jobs).toEqual({})
  })

  it('an auth close after an accepted re-auth: the new token expired too, so one refresh', async () => {
    const { store, fake } = await signedInStore({ tokenStrategy: 'message' })
    listen(store)
    testbed.sockets.last().authenticate()
    await store.getState().refresh()
    testbed.sockets.last().deliver({ type: 'auth_ok' })

    testbed.sockets.last().drop(4401, 'token expired')
    await vi.advanceTimersByTimeAsync(0)

    expect(fake.transport.refresh).toHaveBeenCalledTimes(2)
    testbed.sockets.last().accept()
    expect(testbed.sockets.last().sent).toEqual([
      { type: 'auth', token: fake.issued[1], lastSeq: 0 },
    ])
  })

  it('a second re-auth restarts the wait for auth_ok', async () => {
    const { store } = await signedInStore({ handoverTimeoutMs: 3_000 })
    listen(store)
    const socket = testbed.sockets.last().authenticate()
    await store.getState().refresh()
    await vi.advanceTimersByTimeAsync(2_000)
    await store.getState().refresh()

    await vi.advanceTimersByTimeAsync(2_999)
    expect(testbed.sockets.sockets).toHaveLength(1)
    socket.deliver({ type: 'auth_ok' })
    await vi.advanceTimersByTimeAsync(MINUTE)

    expect(testbed.sockets.sockets).toHaveLength(1)
    expect(socket.sent.at(-1)).toEqual({ type: 'auth', token: store.getState().token })
  })

  it.each([
    ['times out', () => vi.advanceTimersByTimeAsync(5_000)],
    ['is closed by the server', (old: FakeSocket) => old.drop()],
  ])(
    'the new socket cannot be opened in a handover, then the old one %s: one reconnect write',
    async (_, end) => {
      let constructed = 0
      class RefusesTheSecond extends testbed.sockets.WebSocket {
        constructor(url: string, protocols?: string | string[]) {
          constructed += 1
          if (constructed === 2) throw new Error('refused')
          super(url, protocols)
        }
      }
      const { store } = await signedInStore({
        tokenStrategy: 'protocol',
        WebSocket: RefusesTheSecond,
      })
      listen(store)
      const old = testbed.sockets.last().authenticate()
      const statuses = jobWrites(store)

      await store.getState().refresh()
      expect(jobOf(store)).toMatchObject({ status: 'reconnecting', attempts: 1 })
      await end(old)
      await vi.advanceTimersByTimeAsync(1_000)

      expect(old.isOpen).toBe(false)
      expect(statuses).toEqual(['reconnecting'])
      testbed.sockets.last().authenticate()
      expect(statuses).toEqual(['reconnecting', 'open'])
    },
  )
})

describe('an expired token', () => {
  async function expiringStore(expiresIn: number, websocket: Partial<WebSocketOptions> = {}) {
    const bed = storeWith(websocket)
    await bed.store.getState().login({
      accessToken: tokenAt(Date.now()),
      refreshToken: 'r-0',
      expiresAt: Date.now() + expiresIn,
    })
    return bed
  }

  it('one that expires now is refreshed first; one that expires in 1 ms is used', async () => {
    const expiring = await expiringStore(0)
    listen(expiring.store)
    expect(testbed.sockets.sockets).toHaveLength(0)
    expect(expiring.fake.transport.refresh).toHaveBeenCalledTimes(1)

    const live = await expiringStore(1)
    listen(live.store)
    expect(testbed.sockets.sockets).toHaveLength(1)
    expect(live.fake.transport.refresh).not.toHaveBeenCalled()
  })

  it('the refresh that brings a token is not counted as a failure', async () => {
    const { store } = await expiringStore(0)
    listen(store)
    await vi.advanceTimersByTimeAsync(0)

    expect(testbed.sockets.sockets).toHaveLength(1)
    expect(jobOf(store)).toMatchObject({ status: 'connecting', attempts: 0, error: null })
    await vi.advanceTimersByTimeAsync(MINUTE)
    expect(testbed.sockets.sockets).toHaveLength(1)
  })

  it('a refresh that brings an expired token: one failed attempt, no refresh loop', async () => {
    const { store, fake } = await expiringStore(0)
    fake.next('refresh', {
      resolve: { accessToken: tokenAt(Date.now()), refreshToken: 'r-1', expiresAt: Date.now() - 1 },
    })
    listen(store)
    await vi.advanceTimersByTimeAsync(0)

    expect(fake.transport.refresh).toHaveBeenCalledTimes(1)
    expect(testbed.sockets.sockets).toHaveLength(0)
    expect(jobOf(store)).toMatchObject({
      status: 'reconnecting',
      attempts: 1,
      error: { kind: 'unauthorized', message: 'The new token is expired' },
    })
  })

  it('a refresh that fails: an unauthorized attempt, retried after the backoff', async () => {
    const { store, fake } = await expiringStore(0)
    fake.next('refresh', 'network')
    listen(store)
    await vi.advanceTimersByTimeAsync(0)

    expect(jobOf(store)).toMatchObject({
      status: 'reconnecting',
      attempts: 1,
      error: { kind: 'unauthorized', message: 'No fresh access token for the socket' },
    })
    await vi.advanceTimersByTimeAsync(999)
    expect(fake.transport.refresh).toHaveBeenCalledTimes(1)
    await vi.advanceTimersByTimeAsync(1)
    expect(fake.transport.refresh).toHaveBeenCalledTimes(2)
  })

  it('signed out while the refresh runs: the job stays closed when it settles', async () => {
    const { store, fake } = await expiringStore(0)
    fake.holdResponses(true)
    listen(store)
    await store.getState().logout()

    fake.holdResponses(false)
    await vi.advanceTimersByTimeAsync(MINUTE)

    expect(jobOf(store)).toMatchObject({ status: 'closed', attempts: 0, error: null })
    expect(testbed.sockets.sockets).toHaveLength(0)
  })

  it('signed out and in again while an old refresh runs: its end belongs to the old session', async () => {
    const { store, fake } = await expiringStore(0)
    fake.holdResponses(true)
    listen(store)
    await store.getState().logout()
    await store.getState().login({
      accessToken: tokenAt(Date.now()),
      refreshToken: 'r-1',
      expiresAt: Date.now(),
    })

    fake.holdResponses(false)
    await vi.advanceTimersByTimeAsync(0)

    expect(fake.transport.refresh).toHaveBeenCalledTimes(2)
    expect(testbed.sockets.sockets).toHaveLength(1)
    expect(jobOf(store)).toMatchObject({ status: 'connecting', attempts: 0, error: null })
  })

  it('a new token during the backoff after a failed refresh: the retry uses it, not a socket at once', async () => {
    const { store, fake } = await expiringStore(0)
    fake.next('refresh', 'network')
    listen(store)
    await vi.advanceTimersByTimeAsync(0)
    expect(jobOf(store)).toMatchObject({ status: 'reconnecting', attempts: 1 })

    await store.getState().refresh()
    await vi.advanceTimersByTimeAsync(999)
    expect(testbed.sockets.sockets).toHaveLength(0)
    await vi.advanceTimersByTimeAsync(1)

    expect(testbed.sockets.sockets).toHaveLength(1)
    testbed.sockets.last().accept()
    expect(testbed.sockets.last().sent).toEqual([{ type: 'auth', token: fake.issued[0] }])
  })

  it('a new token already expired in a handover: the old socket closing leaves the job reconnecting until the refresh brings one', async () => {
    const { store, fake } = await signedInStore({ tokenStrategy: 'protocol' })
    const job = listen(store)
    const old = testbed.sockets.last().authenticate().progress(1)
    fake.holdResponses(true)
    await store.getState().login({
      accessToken: tokenAt(Date.now()),
      refreshToken: 'r-1',
      expiresAt: Date.now(),
    })
    expect(testbed.sockets.sockets).toHaveLength(1)
    expect(fake.transport.refresh).toHaveBeenCalledTimes(1)

    old.drop()
    expect(jobOf(store)).toMatchObject({ status: 'reconnecting', attempts: 0 })

    fake.holdResponses(false)
    await vi.advanceTimersByTimeAsync(0)
    expect(testbed.sockets.last().protocols).toEqual(['bearer', fake.issued[0]])
    expect(testbed.sockets.last().url).toBe(`${URL}?resume=1`)
    testbed.sockets.last().authenticate().progress(2)
    expect(job.seqs()).toEqual([1, 2])
    expect(jobOf(store)).toMatchObject({ status: 'open', attempts: 0 })
  })
})

describe('action names in Redux DevTools', () => {
  let devtools: ReturnType<typeof installFakeDevtoolsExtension>
  beforeEach(() => {
    devtools = installFakeDevtoolsExtension()
  })
  afterEach(() => {
    devtools.uninstall()
  })
  const wsTypes = () => devtools.actionTypes().filter((type) => type.startsWith('ws/'))

  it('a job through every status, each change under its name', async () => {
    const { store } = storeWith({ maxAttempts: 2 }, { devtools: true })
    const job = listen(store)
    expect(jobOf(store)).toEqual({
      status: 'closed',
      attempts: 0,
      lastEventAt: null,
      lastSeq: null,
      error: null,
    })
    expect(testbed.sockets.sockets).toHaveLength(0)

    await store.getState().login(tokenAt(Date.now()))
    testbed.sockets.last().authenticate()
    await vi.advanceTimersByTimeAsync(1_000)
    testbed.sockets.last().progress(1)
    testbed.sockets.last().drop()
    await vi.advanceTimersByTimeAsync(1_000)
    testbed.sockets.last().drop()
    await store.getState().logout()
    job.unsubscribe()

    expect(wsTypes()).toEqual([
      'ws/close',
      'ws/connect',
      'ws/open',
      'ws/message',
      'ws/reconnect',
      'ws/failed',
      'ws/close',
      'ws/close',
    ])
  })

  it('signing out with a progress write pending: nothing is written after the close', async () => {
    const { store } = await signedInStore({}, { devtools: true })
    listen(store)
    testbed.sockets.last().authenticate().progress(1)

    await store.getState().logout()
    await vi.advanceTimersByTimeAsync(MINUTE)

    expect(wsTypes()).toEqual(['ws/connect', 'ws/open', 'ws/close'])
    expect(jobOf(store)).toMatchObject({ status: 'closed', lastSeq: 1 })
  })

  it('a status write carries the progress: the pending progress write is dropped', async () => {
    const { store } = await signedInStore({}, { devtools: true })
    listen(store)
    testbed.sockets.last().authenticate().progress(1)

    testbed.sockets.last().drop()
    await vi.advanceTimersByTimeAsync(MINUTE)

    expect(wsTypes()).toEqual(['ws/connect', 'ws/open', 'ws/reconnect'])
    expect(jobOf(store)).toMatchObject({ status: 'reconnecting', lastSeq: 1 })
  })

  it('signing out without jobs writes nothing for them', async () => {
    const { store } = storeWith({}, { devtools: true })
    await store.getState().login(tokenAt(Date.now()))
    await store.getState().logout()

    expect(devtools.actionTypes().length).toBeGreaterThan(0)
    expect(wsTypes()).toEqual([])
  })
})

describe('a store listener that signs out and in during a job write', () => {
  /** Once, when the job first shows `status`: the app signs out and back in from a listener. */
  const signOutAndInOn = (store: JobsStore, status: string) => {
    let done = false
    store.subscribe((state) => {
      if (done || state.jobs.build?.status !== status) return
      done = true
      void state.logout()
      void store.getState().login(tokenAt(Date.now()))
    })
  }
  const openSockets = () => testbed.sockets.sockets.filter((socket) => socket.isOpen)

  it("during the job's 'connecting' write: one socket, and unsubscribing closes it", async () => {
    const { store } = storeWith()
    const { unsubscribe } = listen(store)
    signOutAndInOn(store, 'connecting')
    await store.getState().login(tokenAt(Date.now()))
    expect(openSockets()).toHaveLength(1)

    unsubscribe()
    expect(openSockets()).toHaveLength(0)
  })

  it("during the job's 'reconnecting' write: one socket after the retry, and it carries the new token", async () => {
    const { store } = await signedInStore()
    const { unsubscribe } = listen(store)
    signOutAndInOn(store, 'reconnecting')
    testbed.sockets.last().authenticate().drop()
    await vi.advanceTimersByTimeAsync(MINUTE)
    expect(openSockets()).toHaveLength(1)
    expect(openSockets()[0]?.accept().sent[0]).toMatchObject({ token: store.getState().token })

    unsubscribe()
    expect(openSockets()).toHaveLength(0)
  })
})
