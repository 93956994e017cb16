import { expect, it, vi } from 'vitest'
import { createFakeLocks } from '../utils/fakeLocks'
import { tokenAt } from '../utils/jwt'
import { tabsOnFakeTimers } from '../utils/tabsOnFakeTimers'

/**
 * A sign-out in one tab while another refreshes holding the cross-tab lock. The lock keeps the
 * other tabs from refreshing, not from signing out, so the refreshing tab must read the shared
 * session again before it commits its answer, even when that answer arrives before the
 * sign-out's message does.
 */
const tabs = tabsOnFakeTimers()

/** One origin's localStorage and lock manager, no BroadcastChannel. */
function createOrigin() {
  const origin = tabs.openOrigin({ locks: createFakeLocks().locks })
  return {
    storedToken: () =>
      JSON.parse(origin.items.get('auth-session') as string).state.token as string | null,
    openTab: () => origin.openTab(),
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
