import { afterEach, beforeEach, expect, it, vi } from 'vitest'
import type { StateStorage } from 'zustand/middleware'
import { createTestStore } from '../utils/createTestStore'
import { createFakeEnv } from '../utils/fakeEnv'
import { createFakeLocks } from '../utils/fakeLocks'
import { tokenAt } from '../utils/jwt'

/**
 * A sign-out in one tab while another refreshes holding the cross-tab lock. The lock keeps the
 * other tabs from refreshing, not from signing out, so the refreshing tab must read the shared
 * session again before it commits its answer, even when that answer arrives before the
 * sign-out's message does.
 */
beforeEach(() => {
  vi.useFakeTimers({ now: new Date('2026-01-01T09:00:00Z') })
})
afterEach(() => {
  vi.useRealTimers()
})

/** One origin's localStorage, no BroadcastChannel: a write fires `storage` in the other tabs a task later. */
function createOrigin() {
  const { locks } = createFakeLocks()
  const items = new Map<string, string>()
  const browsers: Array<ReturnType<typeof createFakeEnv>> = []
  const notify = (writer: unknown, key: string, newValue: string | null) => {
    for (const browser of browsers) {
      if (browser !== writer) setTimeout(() => browser.emit('storage', { key, newValue }), 0)
    }
  }
  return {
    storedToken: () => JSON.parse(items.get('auth-session') as string).state.token as string | null,
    openTab() {
      const browser = createFakeEnv({ locks })
      browsers.push(browser)
      const storage: StateStorage = {
        getItem: (key) => items.get(key) ?? null,
        setItem: (key, value) => {
          const old = items.get(key) ?? null
          items.set(key, value)
          if (old !== value) notify(browser, key, value)
        },
        removeItem: (key) => {
          if (items.delete(key)) notify(browser, key, null)
        },
      }
      return createTestStore({ env: browser.env, storage })
    },
  }
}

it('the user signs out in tab B while tab A refreshes under the lock: B stays signed out', async () => {
  const origin = createOrigin()
  const a = origin.openTab()
  const b = origin.openTab()
  await a.store.getState().login({ accessToken: tokenAt(Date.now()), refreshToken: 'r-0' })
  await vi.advanceTimersByTimeAsync(0)
  a.fake.holdResponses(true)
  const refreshed = a.store.getState().refresh() // A holds the lock, its request in flight
  await vi.advanceTimersByTimeAsync(0)
  await b.store.getState().logout() // B's sign-out is stored; its message is on the way
  vi.setSystemTime(Date.now() + 5)
  a.fake.holdResponses(false)
  await refreshed // A's response lands before B's message
  expect(origin.storedToken()).toBeNull() // A's new token did not overwrite the sign-out
  for (let i = 0; i < 5; i++) {
    vi.setSystemTime(Date.now() + 5)
    await vi.advanceTimersByTimeAsync(0)
  }
  expect(a.store.getState().status).toBe('signedOut')
  expect(b.store.getState().status).toBe('signedOut') // and B did not take a session back
})
