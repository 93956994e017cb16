import { describe, expect, it, vi } from 'vitest'
import type { StateStorage } from 'zustand/middleware'
import type { AuthStore } from '../../src/createAuthStore'
import type { LockManagerLike } from '../../src/env/browser'
import { memoryStorage } from '../../src/persistence/memoryStorage'
import { recordSignOuts } from '../utils/createTestStore'
import { createChannelBus } from '../utils/fakeChannelBus'
import { createFakeLocks } from '../utils/fakeLocks'
import { tokenAt } from '../utils/jwt'
import { tabsOnFakeTimers } from '../utils/tabsOnFakeTimers'

const MINUTE = 60_000
const HOUR = 60 * MINUTE
const KEY = 'auth-session'
/** The names every tab of the origin must agree on, whatever version of the library it runs. */
const NAME = `zustand-auth-session:${KEY}`
const BUS_KEY = `${NAME}:message`
const LEASE_KEY = `${NAME}:lease`
/** The lock's acquire timeout with the default 5-minute refresh window; the lease lasts twice that. */
const ACQUIRE_MS = 10_000

const tabs = tabsOnFakeTimers()

/** What another tab leaves in the shared storage under the store's key. */
const storedSession = (state: Record<string, unknown>) =>
  JSON.stringify({
    state: { refreshToken: null, expiresAt: null, lastActivityAt: Date.now(), ...state },
    version: 1,
  })

const expiresAtOf = (store: AuthStore) => store.getState().expiresAt as number

/** A storage whose operations on one key throw, as a full or locked-down localStorage does. */
function refusing(key: string, ops: Array<'getItem' | 'setItem' | 'removeItem'>): StateStorage {
  const inner = memoryStorage()
  const guard = (op: (typeof ops)[number], name: string) => {
    if (name === key && ops.includes(op)) throw new DOMException('refused', 'SecurityError')
  }
  return {
    getItem: (name) => {
      guard('getItem', name)
      return inner.getItem(name)
    },
    setItem: (name, value) => {
      guard('setItem', name)
      return inner.setItem(name, value)
    },
    removeItem: (name) => {
      guard('removeItem', name)
      return inner.removeItem(name)
    },
  }
}

/** Another tab takes the refresh lock (its refresh runs) until `release()`. */
function holdLockElsewhere(locks: LockManagerLike) {
  let release: () => void = () => {}
  void locks.request(NAME, {}, () => new Promise<void>((resolve) => (release = resolve)))
  return () => release()
}

describe('storage events: the channel of a browser without BroadcastChannel', () => {
  it('carries a login and a sign-out to the other tab', async () => {
    const origin = tabs.openOrigin()
    const a = origin.openTab()
    const b = origin.openTab()
    await a.store.getState().login({ accessToken: tokenAt(Date.now()), refreshToken: 'r-a' })
    await vi.advanceTimersByTimeAsync(0)
    expect(b.store.getState()).toMatchObject({
      status: 'authenticated',
      token: a.store.getState().token,
      refreshToken: 'r-a',
    })
    await a.store.getState().logout('idle')
    await vi.advanceTimersByTimeAsync(0)
    expect(b.store.getState()).toMatchObject({ status: 'signedOut', signOutReason: 'idle' })
  })

  it('writes each message under "zustand-auth-session:<storageKey>:message", with a nonce', async () => {
    const origin = tabs.openOrigin()
    const a = origin.openTab()
    await a.store.getState().login(tokenAt(Date.now()))
    expect(JSON.parse(origin.items.get(BUS_KEY) as string)).toEqual({
      key: KEY,
      from: expect.any(String),
      sentAt: Date.now(),
      kind: 'session',
      token: a.store.getState().token,
      refreshToken: null,
      expiresAt: a.store.getState().expiresAt,
      nonce: expect.any(Number),
    })
  })

  it('ignores a valid-looking message written under any other key', async () => {
    const origin = tabs.openOrigin()
    const a = origin.openTab()
    const b = origin.openTab()
    await a.store.getState().login(tokenAt(Date.now()))
    await vi.advanceTimersByTimeAsync(0)
    const signOut = { key: KEY, from: 'other-tab', sentAt: Date.now(), kind: 'signOut' }
    for (const key of [KEY, `${NAME}:lease`, 'another-app:message']) {
      b.browser.emit('storage', { key, newValue: JSON.stringify({ ...signOut, reason: 'idle' }) })
    }
    expect(b.store.getState().status).toBe('authenticated')
    b.browser.emit('storage', {
      key: BUS_KEY,
      newValue: JSON.stringify({ ...signOut, reason: 'idle' }),
    })
    expect(b.store.getState()).toMatchObject({ status: 'signedOut', signOutReason: 'idle' })
  })

  it('ignores storage events without an event, with a removed key, or with torn JSON', async () => {
    const origin = tabs.openOrigin()
    const a = origin.openTab()
    const b = origin.openTab()
    await a.store.getState().login(tokenAt(Date.now()))
    await vi.advanceTimersByTimeAsync(0)
    const before = b.store.getState()
    expect(() => {
      b.browser.emit('storage')
      b.browser.emit('storage', { key: BUS_KEY, newValue: null })
      b.browser.emit('storage', { key: BUS_KEY, newValue: '{"key":"auth-session","kind":"sig' })
    }).not.toThrow()
    expect(b.store.getState()).toBe(before)
  })

  it('a storage that refuses the message costs the other tab that message, nothing more', async () => {
    const origin = tabs.openOrigin()
    const a = origin.openTab({ refuseKey: BUS_KEY })
    const b = origin.openTab()
    await a.store.getState().login(tokenAt(Date.now()))
    await vi.advanceTimersByTimeAsync(0)
    expect(a.store.getState().status).toBe('authenticated')
    expect(b.store.getState().status).toBe('signedOut')
  })

  it('dispose() stops listening to storage events', async () => {
    const origin = tabs.openOrigin()
    const a = origin.openTab()
    const b = origin.openTab()
    await a.store.getState().login(tokenAt(Date.now()))
    await vi.advanceTimersByTimeAsync(0)
    b.store.dispose()
    expect(b.browser.listenerCount()).toBe(0)
    await a.store.getState().logout()
    await vi.advanceTimersByTimeAsync(0)
    expect(b.store.getState().status).toBe('authenticated')
  })

  it.each([
    { case: 'without crypto.randomUUID (an insecure context)', crypto: {} },
    { case: 'without crypto at all (Node 18: no global crypto)', crypto: undefined },
  ])('tabs tell each other apart $case', async ({ crypto }) => {
    vi.stubGlobal('crypto', crypto)
    const origin = tabs.openOrigin()
    let a: ReturnType<typeof origin.openTab>
    let b: ReturnType<typeof origin.openTab>
    try {
      a = origin.openTab()
      b = origin.openTab()
    } finally {
      vi.unstubAllGlobals()
    }
    await a.store.getState().login(tokenAt(Date.now()))
    await vi.advanceTimersByTimeAsync(0)
    expect(b.store.getState().token).toBe(a.store.getState().token)
  })
})

describe('BroadcastChannel: what a tab tells the others', () => {
  it('opens the channel "zustand-auth-session:<storageKey>" and closes it on dispose()', () => {
    const bus = createChannelBus()
    const { store } = tabs.openTab({ BroadcastChannel: bus.Channel, storageKey: 'my-app' })
    expect(bus.names).toEqual(['zustand-auth-session:my-app'])
    store.dispose()
    expect(bus.closed()).toBe(1)
  })

  it('posts each new token as a session message, with its key, sender and time', async () => {
    const bus = createChannelBus()
    const { store, fake } = tabs.openTab({ BroadcastChannel: bus.Channel })
    await store.getState().login({ accessToken: tokenAt(Date.now()), refreshToken: 'r-0' })
    vi.setSystemTime(Date.now() + MINUTE)
    await store.getState().refresh()
    const sessions = bus.posted.filter((message) => message.kind === 'session')
    expect(sessions).toEqual([
      expect.objectContaining({ key: KEY, sentAt: Date.now() - MINUTE, refreshToken: 'r-0' }),
      {
        key: KEY,
        from: sessions[0]?.from,
        sentAt: Date.now(),
        kind: 'session',
        token: fake.issued[0],
        refreshToken: 'r-1',
        expiresAt: expiresAtOf(store),
      },
    ])
    expect(sessions[0]?.from).toEqual(expect.any(String))
  })

  it('posts activity once it is written, and a validation by this tab', async () => {
    const bus = createChannelBus()
    const { store } = tabs.openTab({ BroadcastChannel: bus.Channel })
    await store.getState().login(tokenAt(Date.now()))
    vi.setSystemTime(Date.now() + 2 * MINUTE)
    store.getState().recordActivity()
    expect(bus.posted.at(-1)).toMatchObject({ kind: 'activity', at: Date.now() })
    await store.getState().validate()
    expect(bus.posted.at(-1)).toMatchObject({ kind: 'validated', at: Date.now() })
  })

  it('posts nothing for a change that is not a token, a sign-out or activity', async () => {
    const bus = createChannelBus()
    const { store, fake } = tabs.openTab({ BroadcastChannel: bus.Channel })
    await store.getState().login(tokenAt(Date.now()))
    const count = bus.posted.length
    fake.next('validate', 503)
    await store.getState().validate()
    expect(store.getState().status).toBe('degraded')
    expect(bus.posted).toHaveLength(count)
  })

  it('posts nothing for its own changes while signed out', async () => {
    const bus = createChannelBus()
    const { store } = tabs.openTab({ BroadcastChannel: bus.Channel })
    await store.getState().login(tokenAt(Date.now()))
    await store.getState().logout()
    const count = bus.posted.length
    vi.setSystemTime(Date.now() + MINUTE)
    store.setState({ error: null }) // the app dismisses a message it showed
    expect(bus.posted).toHaveLength(count)
  })

  it('posts a sign-out with its reason', async () => {
    const bus = createChannelBus()
    const { store } = tabs.openTab({ BroadcastChannel: bus.Channel })
    await store.getState().login(tokenAt(Date.now()))
    await vi.advanceTimersByTimeAsync(HOUR)
    expect(store.getState().signOutReason).toBe('idle')
    expect(bus.posted.at(-1)).toMatchObject({ kind: 'signOut', reason: 'idle', sentAt: Date.now() })
  })

  it('does not echo what it applied from another tab, but still posts its own changes after', async () => {
    const bus = createChannelBus()
    const { store } = tabs.openTab({ BroadcastChannel: bus.Channel })
    const token = tokenAt(Date.now())
    bus.inject({ kind: 'session', token, refreshToken: null, expiresAt: Date.now() + HOUR })
    expect(store.getState()).toMatchObject({ status: 'authenticated', token })
    expect(bus.posted).toEqual([])
    await store.getState().logout()
    expect(bus.kinds()).toEqual(['signOut'])
  })

  it('posts nothing after dispose()', async () => {
    const bus = createChannelBus()
    const { store } = tabs.openTab({ BroadcastChannel: bus.Channel })
    await store.getState().login(tokenAt(Date.now()))
    const count = bus.posted.length
    store.dispose()
    await store.getState().validate()
    await store.getState().logout()
    expect(bus.posted).toHaveLength(count)
  })
})

describe('BroadcastChannel: what a tab takes from the others', () => {
  it('ignores a message for another storage key, or its own coming back', async () => {
    const bus = createChannelBus()
    const { store } = tabs.openTab({ BroadcastChannel: bus.Channel })
    await store.getState().login(tokenAt(Date.now()))
    const own = bus.posted[0]?.from
    const before = store.getState()
    expect(() => {
      bus.inject({ key: 'another-app', kind: 'signOut', reason: 'idle' })
      bus.inject({ from: own, kind: 'signOut', reason: 'idle' })
    }).not.toThrow()
    expect(store.getState()).toBe(before)
  })

  it('a session sent before this tab signed out does not sign it back in; one sent after does', async () => {
    const bus = createChannelBus()
    const { store } = tabs.openTab({ BroadcastChannel: bus.Channel })
    await store.getState().login(tokenAt(Date.now()))
    await store.getState().logout()
    const session = { kind: 'session', refreshToken: null, expiresAt: Date.now() + HOUR }
    bus.inject({ ...session, token: tokenAt(Date.now()), sentAt: Date.now() })
    expect(store.getState().status).toBe('signedOut')
    const later = tokenAt(Date.now())
    bus.inject({ ...session, token: later, sentAt: Date.now() + 1 })
    expect(store.getState()).toMatchObject({ status: 'authenticated', token: later })
  })

  it('a session sent after this tab signed out is taken, even if the tab changed since', async () => {
    const bus = createChannelBus()
    const { store } = tabs.openTab({ BroadcastChannel: bus.Channel })
    await store.getState().login(tokenAt(Date.now()))
    await store.getState().logout()
    vi.setSystemTime(Date.now() + 1_000)
    const sentAt = Date.now() // another tab signs in; its message is on the way
    vi.setSystemTime(Date.now() + 1_000)
    store.setState({ error: null }) // the app dismisses a message it showed
    const token = tokenAt(Date.now())
    bus.inject({ kind: 'session', token, refreshToken: null, expiresAt: Date.now() + HOUR, sentAt })
    expect(store.getState()).toMatchObject({ status: 'authenticated', token })
  })

  it('signed in again, a newer session is taken whenever it was sent', async () => {
    const bus = createChannelBus()
    const { store } = tabs.openTab({ BroadcastChannel: bus.Channel })
    await store.getState().login(tokenAt(Date.now()))
    const signedOutAt = Date.now()
    await store.getState().logout()
    vi.setSystemTime(Date.now() + MINUTE)
    await store.getState().login(tokenAt(Date.now()))
    const newer = tokenAt(Date.now())
    bus.inject({
      kind: 'session',
      token: newer,
      refreshToken: null,
      expiresAt: expiresAtOf(store) + 1,
      sentAt: signedOutAt - 1,
    })
    expect(store.getState().token).toBe(newer)
  })

  it('a sign-out sent before this tab’s session began is stale; one sent since signs it out', async () => {
    const bus = createChannelBus()
    const { store } = tabs.openTab({ BroadcastChannel: bus.Channel })
    const startedAt = Date.now()
    await store.getState().login(tokenAt(Date.now()))
    vi.setSystemTime(Date.now() + 2 * MINUTE)
    store.getState().recordActivity() // a later change does not move the session's start
    bus.inject({ kind: 'signOut', reason: 'idle', sentAt: startedAt - 1 })
    expect(store.getState().status).toBe('authenticated')
    bus.inject({ kind: 'signOut', reason: 'idle', sentAt: startedAt })
    expect(store.getState()).toMatchObject({ status: 'signedOut', signOutReason: 'idle' })
  })

  it('a session begins at its sign-in, not when the tab opened: a sign-out sent between is stale', async () => {
    const bus = createChannelBus()
    const { store } = tabs.openTab({ BroadcastChannel: bus.Channel })
    const openedAt = Date.now()
    vi.setSystemTime(openedAt + MINUTE)
    await store.getState().login(tokenAt(Date.now()))
    bus.inject({ kind: 'signOut', reason: 'idle', sentAt: openedAt + 1 })
    expect(store.getState().status).toBe('authenticated')
  })

  it('a rehydrated session begins when the tab opens: an older sign-out is stale', () => {
    const bus = createChannelBus()
    const storage = memoryStorage()
    storage.setItem(
      KEY,
      storedSession({ token: tokenAt(Date.now()), expiresAt: Date.now() + HOUR }),
    )
    const { store } = tabs.openTab({ BroadcastChannel: bus.Channel, storage, autoStart: false })
    expect(store.getState().status).toBe('authenticated')
    bus.inject({ kind: 'signOut', reason: 'idle', sentAt: Date.now() - 1 })
    expect(store.getState().status).toBe('authenticated')
    bus.inject({ kind: 'signOut', reason: 'idle', sentAt: Date.now() })
    expect(store.getState().status).toBe('signedOut')
  })

  it('takes another tab’s activity while signed in, and ignores it while signed out', async () => {
    const bus = createChannelBus()
    const { store } = tabs.openTab({ BroadcastChannel: bus.Channel })
    const atStart = store.getState().lastActivityAt
    vi.setSystemTime(Date.now() + 2 * MINUTE)
    bus.inject({ kind: 'activity', at: Date.now() })
    expect(store.getState().lastActivityAt).toBe(atStart)
    await store.getState().login(tokenAt(Date.now()))
    vi.setSystemTime(Date.now() + 2 * MINUTE)
    bus.inject({ kind: 'activity', at: Date.now() })
    expect(store.getState().lastActivityAt).toBe(Date.now())
  })

  it('a validation by another tab since the last tick saves this tab its own', async () => {
    const bus = createChannelBus()
    const { store, fake } = tabs.openTab({ BroadcastChannel: bus.Channel })
    await store.getState().login(tokenAt(Date.now()))
    await vi.advanceTimersByTimeAsync(30_000)
    bus.inject({ kind: 'validated', at: Date.now() })
    await vi.advanceTimersByTimeAsync(30_000)
    expect(fake.transport.validate).not.toHaveBeenCalled()
    await vi.advanceTimersByTimeAsync(MINUTE) // nobody proved the session this time
    expect(fake.transport.validate).toHaveBeenCalledTimes(1)
  })

  it('a late report of an older validation does not undo a newer proof', async () => {
    const bus = createChannelBus()
    const { store, fake } = tabs.openTab({ BroadcastChannel: bus.Channel })
    await store.getState().login(tokenAt(Date.now()))
    await vi.advanceTimersByTimeAsync(MINUTE)
    expect(fake.transport.validate).toHaveBeenCalledTimes(1)
    await vi.advanceTimersByTimeAsync(10_000)
    store.markSessionValid()
    bus.inject({ kind: 'validated', at: Date.now() - 20_000 })
    await vi.advanceTimersByTimeAsync(50_000)
    expect(fake.transport.validate).toHaveBeenCalledTimes(1)
  })
})

describe('navigator.locks: one refresh at a time across tabs', () => {
  const otherSession = (store: AuthStore, expiresInMs: number) =>
    storedSession({
      token: tokenAt(Date.now()),
      refreshToken: 'r-other',
      expiresAt: expiresAtOf(store) + expiresInMs,
    })

  it.each([
    { case: 'a later expiry', offset: MINUTE, adopts: true },
    { case: 'the same expiry (issued in the same second)', offset: 0, adopts: true },
    { case: 'an earlier expiry (a stale write)', offset: -1, adopts: false },
  ])(
    'after waiting for another tab’s refresh, a stored session with $case adopted: $adopts',
    async ({ offset, adopts }) => {
      const { locks } = createFakeLocks()
      const storage = memoryStorage()
      const { store, fake } = tabs.openTab({ locks, storage })
      await store.getState().login({ accessToken: tokenAt(Date.now()), refreshToken: 'r-0' })
      const release = holdLockElsewhere(locks)
      const refreshed = store.getState().refresh()
      await vi.advanceTimersByTimeAsync(1_000)
      expect(fake.transport.refresh).not.toHaveBeenCalled()
      const written = otherSession(store, offset)
      storage.setItem(KEY, written) // the other tab's refresh committed
      release()
      expect(await refreshed).toBe(true)
      const theirs = JSON.parse(written).state
      expect(fake.transport.refresh).toHaveBeenCalledTimes(adopts ? 0 : 1)
      expect(store.getState()).toMatchObject(
        adopts
          ? { token: theirs.token, refreshToken: 'r-other', expiresAt: theirs.expiresAt }
          : { token: fake.issued[0], refreshToken: 'r-1' },
      )
    },
  )

  it('finds the session signed out by the tab it waited for: signs out without a request', async () => {
    const { locks } = createFakeLocks()
    const storage = memoryStorage()
    const { store, fake } = tabs.openTab({ locks, storage })
    const signOuts = recordSignOuts(store)
    await store.getState().login(tokenAt(Date.now()))
    const release = holdLockElsewhere(locks)
    const refreshed = store.getState().refresh()
    await vi.advanceTimersByTimeAsync(0)
    storage.setItem(KEY, storedSession({ token: null }))
    release()
    expect(await refreshed).toBe(false)
    expect(fake.transport.refresh).not.toHaveBeenCalled()
    expect(signOuts).toEqual(['user'])
  })

  it.each([
    { case: 'removed', raw: null },
    { case: 'not JSON', raw: '{"state":' },
    { case: 'without a state', raw: '{"version":1}' },
    { case: 'with a numeric token', raw: 'token' },
    { case: 'with a token that is not a JWT', raw: 'not-a-jwt' },
    { case: 'with a string expiry', raw: 'expiresAt' },
  ])('a stored session $case is no session: the tab sends its own request', async ({ raw }) => {
    const { locks } = createFakeLocks()
    const storage = memoryStorage()
    const { store, fake } = tabs.openTab({ locks, storage })
    await store.getState().login(tokenAt(Date.now()))
    const release = holdLockElsewhere(locks)
    const refreshed = store.getState().refresh()
    await vi.advanceTimersByTimeAsync(0)
    const later = expiresAtOf(store) + MINUTE
    if (raw === null) storage.removeItem(KEY)
    else if (raw === 'token') storage.setItem(KEY, storedSession({ token: 42, expiresAt: later }))
    else if (raw === 'not-a-jwt')
      storage.setItem(KEY, storedSession({ token: 'not-a-jwt', expiresAt: later }))
    else if (raw === 'expiresAt')
      storage.setItem(KEY, storedSession({ token: tokenAt(Date.now()), expiresAt: String(later) }))
    else storage.setItem(KEY, raw)
    release()
    expect(await refreshed).toBe(true)
    expect(fake.transport.refresh).toHaveBeenCalledTimes(1)
    expect(store.getState()).toMatchObject({ status: 'authenticated', token: fake.issued[0] })
  })

  it('adopts a stored session whose refresh token is not a string without one', async () => {
    const { locks } = createFakeLocks()
    const storage = memoryStorage()
    const { store } = tabs.openTab({ locks, storage })
    await store.getState().login({ accessToken: tokenAt(Date.now()), refreshToken: 'r-0' })
    const release = holdLockElsewhere(locks)
    const refreshed = store.getState().refresh()
    await vi.advanceTimersByTimeAsync(0)
    const token = tokenAt(Date.now())
    storage.setItem(
      KEY,
      storedSession({ token, refreshToken: 7, expiresAt: expiresAtOf(store) + MINUTE }),
    )
    release()
    await refreshed
    expect(store.getState()).toMatchObject({ token, refreshToken: null })
  })

  it.each([
    { refreshWindowMs: 5 * MINUTE, timeoutMs: 10_000 },
    { refreshWindowMs: 12_000, timeoutMs: 6_000 },
    { refreshWindowMs: 400, timeoutMs: 250 },
  ])(
    'a lock never granted: with a $refreshWindowMs ms refresh window the tab refreshes without it after $timeoutMs ms',
    async ({ refreshWindowMs, timeoutMs }) => {
      const locks = createFakeLocks()
      locks.hold(NAME)
      const { store, fake } = tabs.openTab({ locks: locks.locks, refreshWindowMs })
      await store.getState().login(tokenAt(Date.now()))
      const refreshed = store.getState().refresh()
      await vi.advanceTimersByTimeAsync(timeoutMs - 1)
      expect(fake.transport.refresh).not.toHaveBeenCalled()
      await vi.advanceTimersByTimeAsync(1)
      expect(fake.transport.refresh).toHaveBeenCalledTimes(1)
      expect(await refreshed).toBe(true)
    },
  )

  it.each([
    { case: 'a newer session', written: 'session', status: 'authenticated' },
    { case: 'a sign-out', written: 'signedOut', status: 'signedOut' },
  ])(
    'without the lock, $case written during the request wins over the response',
    async ({ written, status }) => {
      const locks = createFakeLocks()
      locks.hold(NAME)
      const storage = memoryStorage()
      const { store, fake } = tabs.openTab({ locks: locks.locks, storage })
      await store.getState().login(tokenAt(Date.now()))
      fake.holdResponses(true)
      const refreshed = store.getState().refresh()
      await vi.advanceTimersByTimeAsync(ACQUIRE_MS)
      expect(fake.transport.refresh).toHaveBeenCalledTimes(1)
      const token = tokenAt(Date.now())
      storage.setItem(
        KEY,
        written === 'session'
          ? storedSession({ token, expiresAt: expiresAtOf(store) + MINUTE })
          : storedSession({ token: null }),
      )
      fake.holdResponses(false)
      expect(await refreshed).toBe(written === 'session')
      expect(store.getState().status).toBe(status)
      expect(store.getState().token).toBe(written === 'session' ? token : null)
    },
  )

  it('a request that fails under the lock is not sent again without it', async () => {
    const { locks } = createFakeLocks()
    const { store, fake } = tabs.openTab({ locks })
    await store.getState().login(tokenAt(Date.now()))
    fake.next('refresh', 503)
    expect(await store.getState().refresh()).toBe(false)
    expect(fake.transport.refresh).toHaveBeenCalledTimes(1)
    expect(store.getState()).toMatchObject({ status: 'degraded', error: { status: 503 } })
    expect(await store.getState().refresh()).toBe(true) // and the lock was let go
  })

  it('a lock manager that refuses at once (an opaque origin): the refresh runs unlocked at once and leaves no timer behind', async () => {
    const locks: LockManagerLike = {
      request: () =>
        Promise.reject(new DOMException('Access to the Locks API is denied', 'SecurityError')),
    }
    const { store, fake } = tabs.openTab({ locks, autoStart: false })
    await store.getState().login(tokenAt(Date.now()))
    expect(vi.getTimerCount()).toBe(0)
    expect(await store.getState().refresh()).toBe(true)
    expect(fake.transport.refresh).toHaveBeenCalledTimes(1)
    expect(vi.getTimerCount()).toBe(0)
  })
})

describe('storage lease: the lock of a browser without navigator.locks', () => {
  const lease = (owner: unknown, until: unknown) => JSON.stringify({ owner, until })

  it('holds a lease "<name>:lease" for twice the acquire timeout while refreshing, then removes it', async () => {
    const storage = memoryStorage()
    const { store, fake } = tabs.openTab({ storage })
    await store.getState().login(tokenAt(Date.now()))
    fake.holdResponses(true)
    const refreshed = store.getState().refresh()
    await vi.advanceTimersByTimeAsync(0) // an in-process storage needs no confirmation delay
    expect(fake.transport.refresh).toHaveBeenCalledTimes(1)
    expect(JSON.parse(storage.getItem(LEASE_KEY) as string)).toEqual({
      owner: expect.any(String),
      until: Date.now() + 2 * ACQUIRE_MS,
    })
    fake.holdResponses(false)
    expect(await refreshed).toBe(true)
    expect(storage.getItem(LEASE_KEY)).toBeNull()
  })

  it('waits for another tab’s lease to run out, polling', async () => {
    const storage = memoryStorage()
    const { store, fake } = tabs.openTab({ storage })
    await store.getState().login(tokenAt(Date.now()))
    storage.setItem(LEASE_KEY, lease('other-tab', Date.now() + 5_000))
    const refreshed = store.getState().refresh()
    await vi.advanceTimersByTimeAsync(4_999)
    expect(fake.transport.refresh).not.toHaveBeenCalled()
    await vi.advanceTimersByTimeAsync(1)
    expect(fake.transport.refresh).toHaveBeenCalledTimes(1)
    await refreshed
  })

  it('refreshes unlocked when another tab’s lease outlives the acquire timeout, and leaves that lease', async () => {
    const storage = memoryStorage()
    const { store, fake } = tabs.openTab({ storage })
    await store.getState().login(tokenAt(Date.now()))
    const theirs = lease('other-tab', Date.now() + HOUR)
    storage.setItem(LEASE_KEY, theirs)
    fake.holdResponses(true)
    const refreshed = store.getState().refresh()
    await vi.advanceTimersByTimeAsync(ACQUIRE_MS - 1)
    expect(fake.transport.refresh).not.toHaveBeenCalled()
    await vi.advanceTimersByTimeAsync(1)
    expect(fake.transport.refresh).toHaveBeenCalledTimes(1)
    // Unlocked, the response yields to what the lease holder wrote meanwhile.
    const token = tokenAt(Date.now())
    storage.setItem(KEY, storedSession({ token, expiresAt: expiresAtOf(store) + MINUTE }))
    fake.holdResponses(false)
    expect(await refreshed).toBe(true)
    expect(store.getState().token).toBe(token)
    expect(storage.getItem(LEASE_KEY)).toBe(theirs)
  })

  it('a tab that loses the write race to another tab waits as if the lease were taken', async () => {
    const inner = memoryStorage()
    const storage: StateStorage = {
      ...inner,
      // Another tab writes its lease right after every write of ours: it is the last writer.
      setItem: (name, value) =>
        inner.setItem(name, name === LEASE_KEY ? lease('other-tab', Date.now() + HOUR) : value),
    }
    const { store, fake } = tabs.openTab({ storage })
    await store.getState().login(tokenAt(Date.now()))
    const refreshed = store.getState().refresh()
    await vi.advanceTimersByTimeAsync(ACQUIRE_MS - 1)
    expect(fake.transport.refresh).not.toHaveBeenCalled()
    await vi.advanceTimersByTimeAsync(1)
    expect(fake.transport.refresh).toHaveBeenCalledTimes(1)
    await refreshed
  })

  it('its own lease, left behind by a storage that would not remove it, does not block the tab', async () => {
    const storage = refusing(LEASE_KEY, ['removeItem'])
    const { store, fake } = tabs.openTab({ storage })
    await store.getState().login(tokenAt(Date.now()))
    expect(await store.getState().refresh()).toBe(true)
    expect(storage.getItem(LEASE_KEY)).not.toBeNull()
    const again = store.getState().refresh()
    await vi.advanceTimersByTimeAsync(0)
    expect(fake.transport.refresh).toHaveBeenCalledTimes(2)
    expect(await again).toBe(true)
  })

  it('a storage that refuses the lease: the refresh runs at once, unlocked, and yields to a session written meanwhile', async () => {
    const storage = refusing(LEASE_KEY, ['setItem'])
    const { store, fake } = tabs.openTab({ storage })
    await store.getState().login(tokenAt(Date.now()))
    fake.holdResponses(true)
    const refreshed = store.getState().refresh()
    await vi.advanceTimersByTimeAsync(0)
    expect(fake.transport.refresh).toHaveBeenCalledTimes(1)
    const token = tokenAt(Date.now())
    storage.setItem(KEY, storedSession({ token, expiresAt: expiresAtOf(store) + MINUTE }))
    fake.holdResponses(false)
    expect(await refreshed).toBe(true)
    expect(store.getState().token).toBe(token)
  })

  it('a storage that refuses the lease does not wait out an expired lease of another tab', async () => {
    const inner = memoryStorage()
    inner.setItem(LEASE_KEY, lease('other-tab', Date.now() - 1))
    const storage: StateStorage = {
      ...inner,
      setItem: (name, value) => {
        if (name === LEASE_KEY) throw new DOMException('full', 'QuotaExceededError')
        inner.setItem(name, value)
      },
    }
    const { store, fake } = tabs.openTab({ storage })
    await store.getState().login(tokenAt(Date.now()))
    const refreshed = store.getState().refresh()
    await vi.advanceTimersByTimeAsync(0)
    expect(fake.transport.refresh).toHaveBeenCalledTimes(1)
    expect(await refreshed).toBe(true)
  })

  it.each([
    {
      case: 'reads the lease back as nothing',
      storage: (): StateStorage => {
        const inner = memoryStorage()
        return { ...inner, getItem: (name) => (name === LEASE_KEY ? null : inner.getItem(name)) }
      },
    },
    { case: 'throws reading the lease', storage: () => refusing(LEASE_KEY, ['getItem']) },
  ])(
    'a storage that $case: the refresh runs at once, unlocked, and yields to a session written meanwhile',
    async ({ storage: createStorage }) => {
      const storage = createStorage()
      const { store, fake } = tabs.openTab({ storage })
      await store.getState().login(tokenAt(Date.now()))
      fake.holdResponses(true)
      const refreshed = store.getState().refresh()
      await vi.advanceTimersByTimeAsync(0)
      expect(fake.transport.refresh).toHaveBeenCalledTimes(1)
      const token = tokenAt(Date.now())
      storage.setItem(KEY, storedSession({ token, expiresAt: expiresAtOf(store) + MINUTE }))
      fake.holdResponses(false)
      expect(await refreshed).toBe(true)
      expect(store.getState()).toMatchObject({ status: 'authenticated', token })
    },
  )

  it.each([
    { case: 'a numeric owner', raw: lease(5, Date.now() + HOUR) },
    { case: 'a string expiry', raw: lease('other-tab', String(Date.now() + HOUR)) },
    { case: 'no owner or expiry', raw: 'null' },
    { case: 'torn JSON', raw: '{"owner":"other-' },
  ])('a lease with $case is no lease: the tab takes it at once', async ({ raw }) => {
    const storage = memoryStorage()
    const { store, fake } = tabs.openTab({ storage })
    await store.getState().login(tokenAt(Date.now()))
    storage.setItem(LEASE_KEY, raw)
    const refreshed = store.getState().refresh()
    await vi.advanceTimersByTimeAsync(0)
    expect(fake.transport.refresh).toHaveBeenCalledTimes(1)
    await refreshed
  })

  it('does not remove a lease another tab took meanwhile, nor fail when the lease is gone', async () => {
    const storage = memoryStorage()
    const { store, fake } = tabs.openTab({ storage })
    await store.getState().login(tokenAt(Date.now()))
    fake.holdResponses(true)
    const first = store.getState().refresh()
    await vi.advanceTimersByTimeAsync(0)
    const theirs = lease('other-tab', Date.now() + HOUR) // ours ran out during a slow request
    storage.setItem(LEASE_KEY, theirs)
    fake.holdResponses(false)
    expect(await first).toBe(true)
    expect(storage.getItem(LEASE_KEY)).toBe(theirs)

    storage.removeItem(LEASE_KEY)
    fake.holdResponses(true)
    const second = store.getState().refresh()
    await vi.advanceTimersByTimeAsync(0)
    storage.removeItem(LEASE_KEY) // the user cleared the site's storage
    fake.holdResponses(false)
    expect(await second).toBe(true)
    expect(store.getState().status).toBe('authenticated')
  })

  it('with the browser’s localStorage, reads its lease back only after 100 ms (other processes’ writes)', async () => {
    const storageKey = `channel-fallbacks-${Date.now()}`
    try {
      const { store, fake } = tabs.openTab({ storage: window.localStorage, storageKey })
      await store.getState().login(tokenAt(Date.now()))
      const refreshed = store.getState().refresh()
      await vi.advanceTimersByTimeAsync(99)
      expect(fake.transport.refresh).not.toHaveBeenCalled()
      await vi.advanceTimersByTimeAsync(1)
      expect(fake.transport.refresh).toHaveBeenCalledTimes(1)
      expect(await refreshed).toBe(true)
    } finally {
      for (const key of Object.keys(window.localStorage)) {
        if (key.includes(storageKey)) window.localStorage.removeItem(key)
      }
    }
  })
})
