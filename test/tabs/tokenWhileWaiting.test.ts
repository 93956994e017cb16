import { afterEach, beforeEach, expect, it, vi } from 'vitest'
import { createAsyncStorage } from '../utils/asyncStorage'
import { createTestStore } from '../utils/createTestStore'
import { createChannelBus } from '../utils/fakeChannelBus'
import { createFakeEnv } from '../utils/fakeEnv'
import { createFakeLocks } from '../utils/fakeLocks'
import { tokenAt } from '../utils/jwt'

/**
 * A refresh that waited for the cross-tab lock while another tab refreshed. Its re-read of the
 * shared storage finds the other tab's token when the storage is synchronous; an async storage
 * (a Promise from getItem) cannot be read there, and then the broadcast token the store already
 * adopted is what tells it the refresh has happened. Sending the request anyway would present
 * a rotated refresh token: a reuse, which servers with reuse detection answer by revoking the
 * whole token family.
 */
const LOCK_NAME = 'zustand-auth-session:auth-session'
const MINUTE = 60_000

beforeEach(() => {
  vi.useFakeTimers({ now: new Date('2026-01-01T09:00:00Z') })
})
afterEach(() => {
  vi.useRealTimers()
})

/** Another tab holding the refresh lock until `release()`. */
function holdLock(locks: ReturnType<typeof createFakeLocks>['locks']) {
  let release = () => {}
  void locks.request(LOCK_NAME, {}, () => new Promise<void>((resolve) => (release = resolve)))
  return () => release()
}

it('a tab that adopted the broadcast token while waiting for the lock sends no refresh of its own', async () => {
  const { locks } = createFakeLocks()
  const bus = createChannelBus()
  const browser = createFakeEnv({ locks, BroadcastChannel: bus.Channel })
  const { store, fake } = createTestStore({ env: browser.env, storage: createAsyncStorage() })
  await store.getState().login({ accessToken: tokenAt(Date.now()), refreshToken: 'r-0' })
  const release = holdLock(locks)

  const refreshed = store.getState().refresh() // waits for the other tab's lock
  await vi.advanceTimersByTimeAsync(0)
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
  const { locks } = createFakeLocks()
  const browser = createFakeEnv({ locks, BroadcastChannel: createChannelBus().Channel })
  const { store, fake } = createTestStore({ env: browser.env, storage: createAsyncStorage() })
  await store.getState().login({ accessToken: tokenAt(Date.now()), refreshToken: 'r-0' })
  const release = holdLock(locks)

  const refreshed = store.getState().refresh()
  await vi.advanceTimersByTimeAsync(0)
  expect(fake.transport.refresh).not.toHaveBeenCalled()
  release()

  await expect(refreshed).resolves.toBe(true)
  expect(fake.transport.refresh).toHaveBeenCalledTimes(1)
})

it('a tab signed out by another tab while it waited for the lock sends no refresh', async () => {
  const { locks } = createFakeLocks()
  const bus = createChannelBus()
  const browser = createFakeEnv({ locks, BroadcastChannel: bus.Channel })
  const { store, fake } = createTestStore({ env: browser.env, storage: createAsyncStorage() })
  await store.getState().login({ accessToken: tokenAt(Date.now()), refreshToken: 'r-0' })
  const release = holdLock(locks)

  const refreshed = store.getState().refresh()
  await vi.advanceTimersByTimeAsync(0)
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
  const a = createTestStore({ env: createFakeEnv({ locks }).env, storage })
  const b = createTestStore({ env: createFakeEnv({ locks }).env, storage })
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
