import { afterEach, beforeEach, expect, it, vi } from 'vitest'
import { createAsyncStorage } from '../utils/asyncStorage'
import { createTestStore } from '../utils/createTestStore'
import { createFakeEnv } from '../utils/fakeEnv'
import { tokenAt } from '../utils/jwt'

/**
 * The cross-tab fallbacks write to the shared storage too (the `storage`-event message bus, the
 * refresh lease). An async storage that rejects those writes costs a message or a lease, never
 * an unhandled rejection in the app's console and error tracker.
 */
const unhandled: unknown[] = []
const record = (reason: unknown) => unhandled.push(reason)

beforeEach(() => {
  vi.useFakeTimers({ now: new Date('2026-01-01T09:00:00Z') })
  unhandled.length = 0
  process.on('unhandledRejection', record)
})
afterEach(() => {
  process.off('unhandledRejection', record)
  vi.useRealTimers()
})

it('rejected bus and lease writes are no unhandled rejections, and the session goes on', async () => {
  vi.spyOn(console, 'warn').mockImplementation(() => {}) // the persist write's own report
  // No BroadcastChannel and no navigator.locks: both storage fallbacks are in use.
  const { store, fake } = createTestStore({
    env: createFakeEnv().env,
    storage: createAsyncStorage({ rejectWrites: true }),
  })
  await store.getState().login({ accessToken: tokenAt(Date.now()), refreshToken: 'r-0' })
  await expect(store.getState().refresh()).resolves.toBe(true)
  await store.getState().logout()
  await vi.advanceTimersByTimeAsync(1_000)
  // Node reports unhandled rejections after the microtasks drain: one real macrotask later.
  vi.useRealTimers()
  await new Promise((resolve) => setImmediate(resolve))

  expect(fake.transport.refresh).toHaveBeenCalledTimes(1)
  expect(store.getState().status).toBe('signedOut')
  expect(unhandled).toEqual([])
})
