import type { StateStorage } from 'zustand/middleware'
import type { AuthStore } from '../../src/createAuthStore'
import type { LockManagerLike } from '../../src/env/browser'
import { createTestStore } from './createTestStore'
import { createFakeEnv } from './fakeEnv'

/**
 * localStorage as the tabs of one origin share it, in a browser without BroadcastChannel: one
 * set of items, and a write fires a `storage` event in every *other* tab, a task later and
 * only when the value changed. `locks` gives every tab the same lock manager.
 */
export function createSharedOrigin(options: { locks?: LockManagerLike } = {}) {
  const items = new Map<string, string>()
  const browsers: Array<ReturnType<typeof createFakeEnv>> = []
  const notify = (writer: unknown, key: string, newValue: string | null) => {
    for (const browser of browsers) {
      if (browser !== writer) setTimeout(() => browser.emit('storage', { key, newValue }), 0)
    }
  }
  return {
    items,
    /** A tab's store; `refuseKey`: its storage throws a quota error on writes of that key. */
    openTab(tabOptions: { refuseKey?: string } = {}) {
      const browser = createFakeEnv(options.locks ? { locks: options.locks } : {})
      browsers.push(browser)
      const storage: StateStorage = {
        getItem: (key) => items.get(key) ?? null,
        setItem: (key, value) => {
          if (key === tabOptions.refuseKey) throw new DOMException('full', 'QuotaExceededError')
          const old = items.get(key) ?? null
          items.set(key, value)
          if (old !== value) notify(browser, key, value)
        },
        removeItem: (key) => {
          if (!items.delete(key)) return
          notify(browser, key, null)
        },
      }
      return { ...createTestStore({ env: browser.env, storage }), browser }
    },
  }
}

/** The store's default storage key. */
export const KEY = 'auth-session'
/** The names every tab of the origin must agree on, whatever version of the library it runs. */
export const NAME = `zustand-auth-session:${KEY}`
/** Where a tab without BroadcastChannel writes its messages to the others. */
export const BUS_KEY = `${NAME}:message`
/** Where a tab without navigator.locks keeps its refresh lease. */
export const LEASE_KEY = `${NAME}:lease`

/** What another tab leaves in the shared storage under the store's key. */
export const storedSession = (state: Record<string, unknown>) =>
  JSON.stringify({
    state: { refreshToken: null, expiresAt: null, lastActivityAt: Date.now(), ...state },
    version: 1,
  })

export const expiresAtOf = (store: AuthStore) => store.getState().expiresAt as number
