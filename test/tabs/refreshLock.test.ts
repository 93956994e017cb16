import { describe, expect, it, vi } from 'vitest'
import type { StateStorage } from 'zustand/middleware'
import type { AuthStore } from '../../src/createAuthStore'
import type { LockManagerLike } from '../../src/env/browser'
import { memoryStorage } from '../../src/persistence/memoryStorage'
import { createFakeLocks } from '../utils/fakeLocks'
import { tokenAt } from '../utils/jwt'
import { expiresAtOf, KEY, LEASE_KEY, NAME, storedSession } from '../utils/sharedOrigin'
import { tabsOnFakeTimers } from '../utils/tabsOnFakeTimers'

const MINUTE = 60_000
const HOUR = 60 * MINUTE
/** The lock's acquire timeout with the default 5-minute refresh window; the lease lasts twice that. */
const ACQUIRE_MS = 10_000

const tabs = tabsOnFakeTimers()

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

/**
 * A signed-in tab whose refresh waits for the lock another tab holds while it refreshes. What the
 * test writes to `storage` before `release()` is what that tab's refresh left behind.
 */
async function refreshWaitingForAnotherTab(login: { refreshToken?: string } = {}) {
  const { locks } = createFakeLocks()
  const tab = await tabs.openSignedInTab({ locks, ...login })
  const release = holdLockElsewhere(locks)
  const refreshed = tab.store.getState().refresh()
  await vi.advanceTimersByTimeAsync(0)
  return { ...tab, release, refreshed }
}

/** A signed-in tab whose lock manager never grants the refresh lock (one orphaned by a crash). */
function openTabLockNeverGranted(options: Parameters<typeof tabs.openSignedInTab>[0] = {}) {
  const locks = createFakeLocks()
  locks.hold(NAME)
  return tabs.openSignedInTab({ ...options, locks: locks.locks })
}

/** Another tab commits a session that outlives this tab's; returns its token. */
function commitNewerSession(storage: StateStorage, store: AuthStore) {
  const token = tokenAt(Date.now())
  storage.setItem(KEY, storedSession({ token, expiresAt: expiresAtOf(store) + MINUTE }))
  return token
}

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
      const { store, fake, storage, release, refreshed } = await refreshWaitingForAnotherTab({
        refreshToken: 'r-0',
      })
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
    const { fake, storage, signOuts, release, refreshed } = await refreshWaitingForAnotherTab()
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
    const { store, fake, storage, release, refreshed } = await refreshWaitingForAnotherTab()
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
    const { store, storage, release, refreshed } = await refreshWaitingForAnotherTab({
      refreshToken: 'r-0',
    })
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
      const { store, fake } = await openTabLockNeverGranted({ refreshWindowMs })
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
      const { store, fake, storage } = await openTabLockNeverGranted()
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
    const { store, fake } = await tabs.openSignedInTab({ locks })
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
    const { store, fake } = await tabs.openSignedInTab({ locks, autoStart: false })
    expect(vi.getTimerCount()).toBe(0)
    expect(await store.getState().refresh()).toBe(true)
    expect(fake.transport.refresh).toHaveBeenCalledTimes(1)
    expect(vi.getTimerCount()).toBe(0)
  })

  it('a refresh waiting for the lock at dispose() settles false at once, leaves no timer, and sends nothing when the lock is let go', async () => {
    const { store, fake, release, refreshed } = await refreshWaitingForAnotherTab({
      refreshToken: 'r-0',
    })
    await vi.advanceTimersByTimeAsync(ACQUIRE_MS - 1)
    let writes = 0
    store.subscribe(() => {
      writes += 1
    })
    store.dispose() // the app drops the store (HMR, a micro-frontend unmounted)
    expect(vi.getTimerCount()).toBe(0)
    expect(await refreshed).toBe(false)
    release() // the other tab's refresh ends: the lock must not go to the disposed store
    await vi.advanceTimersByTimeAsync(HOUR)
    expect(fake.transport.refresh).not.toHaveBeenCalled()
    // Nothing written after dispose(): it would persist this tab's older session over theirs.
    expect(writes).toBe(0)
  })

  it('a refresh asked of a disposed store does not wait for the lock: false at once, no timer', async () => {
    const { locks } = createFakeLocks()
    const { store, fake } = await tabs.openSignedInTab({ locks })
    holdLockElsewhere(locks)
    store.dispose()
    let settled: boolean | undefined
    void store
      .getState()
      .refresh()
      .then((result) => {
        settled = result
      })
    await vi.advanceTimersByTimeAsync(0)
    expect(settled).toBe(false)
    expect(vi.getTimerCount()).toBe(0)
    expect(fake.transport.refresh).not.toHaveBeenCalled()
  })
})

describe('storage lease: the lock of a browser without navigator.locks', () => {
  const lease = (owner: unknown, until: unknown) => JSON.stringify({ owner, until })

  /**
   * A signed-in tab with a refresh started, its answer held back, once the lease step has run:
   * an in-process storage needs no confirmation delay, so where the lease is taken at once the
   * request is already out.
   */
  async function refreshAnswerHeld(storage?: StateStorage) {
    const tab = await tabs.openSignedInTab(storage ? { storage } : {})
    tab.fake.holdResponses(true)
    const refreshed = tab.store.getState().refresh()
    await vi.advanceTimersByTimeAsync(0)
    return { ...tab, refreshed }
  }

  it('holds a lease "<name>:lease" for twice the acquire timeout while refreshing, then removes it', async () => {
    const { fake, storage, refreshed } = await refreshAnswerHeld()
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
    const { store, fake, storage } = await tabs.openSignedInTab()
    storage.setItem(LEASE_KEY, lease('other-tab', Date.now() + 5_000))
    const refreshed = store.getState().refresh()
    await vi.advanceTimersByTimeAsync(4_999)
    expect(fake.transport.refresh).not.toHaveBeenCalled()
    await vi.advanceTimersByTimeAsync(1)
    expect(fake.transport.refresh).toHaveBeenCalledTimes(1)
    await refreshed
  })

  it('a refresh polling for another tab’s lease at dispose() settles false at once, leaves no timer, and sends nothing', async () => {
    const { store, fake, storage } = await tabs.openSignedInTab({ refreshToken: 'r-0' })
    const theirs = lease('other-tab', Date.now() + HOUR)
    storage.setItem(LEASE_KEY, theirs)
    const refreshed = store.getState().refresh()
    await vi.advanceTimersByTimeAsync(ACQUIRE_MS - 1)
    store.dispose()
    expect(vi.getTimerCount()).toBe(0)
    expect(await refreshed).toBe(false)
    await vi.advanceTimersByTimeAsync(HOUR)
    expect(fake.transport.refresh).not.toHaveBeenCalled()
    expect(storage.getItem(LEASE_KEY)).toBe(theirs)
  })

  it('refreshes unlocked when another tab’s lease outlives the acquire timeout, and leaves that lease', async () => {
    const { store, fake, storage } = await tabs.openSignedInTab()
    const theirs = lease('other-tab', Date.now() + HOUR)
    storage.setItem(LEASE_KEY, theirs)
    fake.holdResponses(true)
    const refreshed = store.getState().refresh()
    await vi.advanceTimersByTimeAsync(ACQUIRE_MS - 1)
    expect(fake.transport.refresh).not.toHaveBeenCalled()
    await vi.advanceTimersByTimeAsync(1)
    expect(fake.transport.refresh).toHaveBeenCalledTimes(1)
    // Unlocked, the response yields to what the lease holder wrote meanwhile.
    const token = commitNewerSession(storage, store)
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
    const { store, fake } = await tabs.openSignedInTab({ storage })
    const refreshed = store.getState().refresh()
    await vi.advanceTimersByTimeAsync(ACQUIRE_MS - 1)
    expect(fake.transport.refresh).not.toHaveBeenCalled()
    await vi.advanceTimersByTimeAsync(1)
    expect(fake.transport.refresh).toHaveBeenCalledTimes(1)
    await refreshed
  })

  it('its own lease, left behind by a storage that would not remove it, does not block the tab', async () => {
    const storage = refusing(LEASE_KEY, ['removeItem'])
    const { store, fake } = await tabs.openSignedInTab({ storage })
    expect(await store.getState().refresh()).toBe(true)
    expect(storage.getItem(LEASE_KEY)).not.toBeNull()
    const again = store.getState().refresh()
    await vi.advanceTimersByTimeAsync(0)
    expect(fake.transport.refresh).toHaveBeenCalledTimes(2)
    expect(await again).toBe(true)
  })

  it.each([
    { case: 'refuses the lease', storage: () => refusing(LEASE_KEY, ['setItem']) },
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
      const { store, fake, storage, refreshed } = await refreshAnswerHeld(createStorage())
      expect(fake.transport.refresh).toHaveBeenCalledTimes(1)
      const token = commitNewerSession(storage, store)
      fake.holdResponses(false)
      expect(await refreshed).toBe(true)
      expect(store.getState()).toMatchObject({ status: 'authenticated', token })
    },
  )

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
    const { store, fake } = await tabs.openSignedInTab({ storage })
    const refreshed = store.getState().refresh()
    await vi.advanceTimersByTimeAsync(0)
    expect(fake.transport.refresh).toHaveBeenCalledTimes(1)
    expect(await refreshed).toBe(true)
  })

  it.each([
    { case: 'a numeric owner', raw: lease(5, Date.now() + HOUR) },
    { case: 'a string expiry', raw: lease('other-tab', String(Date.now() + HOUR)) },
    { case: 'no owner or expiry', raw: 'null' },
    { case: 'torn JSON', raw: '{"owner":"other-' },
  ])('a lease with $case is no lease: the tab takes it at once', async ({ raw }) => {
    const { store, fake, storage } = await tabs.openSignedInTab()
    storage.setItem(LEASE_KEY, raw)
    const refreshed = store.getState().refresh()
    await vi.advanceTimersByTimeAsync(0)
    expect(fake.transport.refresh).toHaveBeenCalledTimes(1)
    await refreshed
  })

  it('does not remove a lease another tab took meanwhile, nor fail when the lease is gone', async () => {
    const { store, fake, storage, refreshed: first } = await refreshAnswerHeld()
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
    const storageKey = `refresh-lock-${Date.now()}`
    try {
      const { store, fake } = await tabs.openSignedInTab({
        storage: window.localStorage,
        storageKey,
      })
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
