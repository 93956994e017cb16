import { expect, it, vi } from 'vitest'
import type { StateStorage } from 'zustand/middleware'
import { memoryStorage } from '../../src/persistence/memoryStorage'
import { tokenAt } from '../utils/jwt'
import { KEY, storedSession } from '../utils/sharedOrigin'
import { tabsOnFakeTimers } from '../utils/tabsOnFakeTimers'

/**
 * A storage that throws keeps the session in memory from then on (the persist fallback). The
 * cross-tab code must then read that session, not the stale copy left in the shared storage,
 * which could say "signed out" and end a working session as if another tab had.
 */
const MINUTE = 60_000

const tabs = tabsOnFakeTimers()

/** A storage that holds `initial` under KEY and refuses every later write of KEY (quota). */
function quotaFullStorage(initial: string): StateStorage {
  const inner = memoryStorage()
  inner.setItem(KEY, initial)
  return {
    getItem: (name) => inner.getItem(name),
    setItem: (name, value) => {
      if (name === KEY) throw new DOMException('full', 'QuotaExceededError')
      return inner.setItem(name, value)
    },
    removeItem: (name) => inner.removeItem(name),
  }
}

it('a session kept in memory after a quota error is refreshed, not signed out "user" by the stale stored sign-out', async () => {
  vi.spyOn(console, 'warn').mockImplementation(() => {})
  // An earlier sign-out fit in the storage; the new session's write does not.
  const storage = quotaFullStorage(storedSession({ token: null }))
  const { store, fake } = tabs.openTab({ storage })
  await store.getState().login({ accessToken: tokenAt(Date.now()), refreshToken: 'r-0' })
  expect(store.getState()).toMatchObject({ status: 'authenticated', error: { kind: 'storage' } })

  // Into the refresh window of the 60-minute token: the tick refreshes.
  await vi.advanceTimersByTimeAsync(56 * MINUTE)

  expect(fake.transport.refresh).toHaveBeenCalledTimes(1)
  expect(store.getState()).toMatchObject({
    status: 'authenticated',
    signOutReason: null,
    token: fake.issued[0],
  })
})
