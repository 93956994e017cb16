import { expect, it, vi } from 'vitest'
import { createAsyncStorage } from '../utils/asyncStorage'
import { createChannelBus } from '../utils/fakeChannelBus'
import { createFakeLocks } from '../utils/fakeLocks'
import { tokenAt } from '../utils/jwt'
import { tabsOnFakeTimers } from '../utils/tabsOnFakeTimers'

/**
 * A refresh that waited for the cross-tab lock while another tab refreshed or signed out. The
 * lock holder re-reads the shared storage first (an async one included: the last test), and
 * finds what the other tab committed. The store's own session is the second guard: a token or
 * sign-out taken from another tab's broadcast that never reached the storage (a write that
 * failed) still tells it the refresh has happened. Sending the request anyway would present a
 * rotated refresh token: a reuse, which servers with reuse detection answer by revoking the
 * whole token family.
 */
const LOCK_NAME = 'zustand-auth-session:auth-session'
const MINUTE = 60_000

const tabs = tabsOnFakeTimers()

/** Another tab holding the refresh lock until `release()`. */
function holdLock(locks: ReturnType<typeof createFakeLocks>['locks']) {
  let release = () => {}
  void locks.request(LOCK_NAME, {}, () => new Promise<void>((resolve) => (release = resolve)))
  return () => release()
}

/**
 * A signed-in tab whose refresh has begun and waits for the lock, which another tab holds until
 * `release()`; `bus` speaks for the other tabs. Its storage takes no write, so the re-read
 * under the lock finds nothing: only the store's own session can tell what happened meanwhile.
 */
async function refreshWaitingForTheLock() {
  vi.spyOn(console, 'warn').mockImplementation(() => {}) // the storage's failures, reported
  const { locks } = createFakeLocks()
  const bus = createChannelBus()
  const tab = await tabs.openSignedInTab({
    locks,
    BroadcastChannel: bus.Channel,
    storage: createAsyncStorage({ rejectWrites: true }),
    refreshToken: 'r-0',
  })
  const release = holdLock(locks)
  const refreshed = tab.store.getState().refresh()
  await vi.advanceTimersByTimeAsync(0)
  return { ...tab, bus, release, refreshed }
}

it('a tab that adopted the broadcast token while waiting for the lock sends no refresh of its own', async () => {
  const { store, fake, bus, release, refreshed } = await refreshWaitingForTheLock()
  const newToken = tokenAt(Date.now(), 60 * MINUTE)
  bus.inject({
    kind: 'session',
    token: newToken,
    refreshToken: 'r-1',
    expiresAt: Date.now() + 60 * MINUTE,
  })
  release()

  await expect(refreshed).resolves.toBe(true)
  expect(fake.transport.refresh).not.toHaveBeenCalled()
  expect(store.getState()).toMatchObject({
    token: newToken,
    refreshToken: 'r-1',
    status: 'authenticated',
  })
})

it('without another tab’s token, the waiting tab refreshes once the lock is free', async () => {
  const { fake, release, refreshed } = await refreshWaitingForTheLock()
  expect(fake.transport.refresh).not.toHaveBeenCalled()
  release()

  await expect(refreshed).resolves.toBe(true)
  expect(fake.transport.refresh).toHaveBeenCalledTimes(1)
})

it('a tab signed out by another tab while it waited for the lock sends no refresh', async () => {
  const { store, fake, bus, release, refreshed } = await refreshWaitingForTheLock()
  bus.inject({ kind: 'signOut', reason: 'user' })
  release()

  await expect(refreshed).resolves.toBe(false)
  expect(fake.transport.refresh).not.toHaveBeenCalled()
  expect(store.getState()).toMatchObject({ status: 'signedOut', signOutReason: 'user' })
})

it('with no message from the other tab, the waiting tab reads its token from the async storage and sends no refresh', async () => {
  const { locks } = createFakeLocks()
  const storage = createAsyncStorage()
  // No BroadcastChannel, and an async storage fires no `storage` events: the storage is all.
  const a = tabs.openTab({ locks, storage })
  const b = tabs.openTab({ locks, storage })
  await a.store.getState().login({ accessToken: tokenAt(Date.now()), refreshToken: 'r-0' })
  await b.store.getState().login(a.store.getState().token as string)
  await vi.advanceTimersByTimeAsync(0)

  a.fake.holdResponses(true)
  const refreshedInA = a.store.getState().refresh() // A takes the lock; its request is held
  await vi.advanceTimersByTimeAsync(0)
  const refreshedInB = b.store.getState().refresh() // B waits for the lock
  await vi.advanceTimersByTimeAsync(0)
  a.fake.holdResponses(false)

  await expect(refreshedInA).resolves.toBe(true)
  await expect(refreshedInB).resolves.toBe(true)
  expect(a.fake.transport.refresh).toHaveBeenCalledTimes(1)
  expect(b.fake.transport.refresh).not.toHaveBeenCalled()
  expect(b.store.getState().token).toBe(a.store.getState().token)
})
