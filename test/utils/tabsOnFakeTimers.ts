import { afterEach, beforeEach, vi } from 'vitest'
import type { StateStorage } from 'zustand/middleware'
import type { AuthStore } from '../../src/createAuthStore'
import type { BroadcastChannelConstructor, LockManagerLike } from '../../src/env/browser'
import type { AuthStoreOptions } from '../../src/options'
import { memoryStorage } from '../../src/persistence/memoryStorage'
import { createTestStore, recordSignOuts } from './createTestStore'
import { createFakeEnv } from './fakeEnv'
import { tokenAt } from './jwt'
import { createSharedOrigin } from './sharedOrigin'

/** What a tab's browser offers beyond the fake env's events: absent unless given. */
export type BrowserParts = {
  locks?: LockManagerLike
  BroadcastChannel?: BroadcastChannelConstructor
}

export type TabOptions = Partial<AuthStoreOptions> & BrowserParts

/**
 * Call once, at the top level of a test file about tabs. Every test runs on fake timers from
 * 09:00 on 2026-01-01, and every tab opened through what this returns is disposed when the test
 * ends, so no listener, channel or subscription of one test's tabs outlives it. Disposal comes
 * while the fake clock is still installed: `dispose()` clears the store's timers through the
 * global `clearTimeout`, and the handles it holds are that clock's.
 */
export function tabsOnFakeTimers() {
  const opened: AuthStore[] = []
  beforeEach(() => {
    vi.useFakeTimers({ now: new Date('2026-01-01T09:00:00Z') })
  })
  afterEach(() => {
    for (const store of opened.splice(0)) store.dispose()
    vi.useRealTimers()
  })

  /** For a store the test builds itself. */
  const disposeAfterTest = <S extends AuthStore>(store: S): S => {
    opened.push(store)
    return store
  }

  /** A tab: a store on a fake browser, with a memory storage of its own unless given one. */
  function openTab(options: TabOptions = {}) {
    const { locks, BroadcastChannel, ...storeOptions } = options
    const browser = createFakeEnv({
      ...(locks ? { locks } : {}),
      ...(BroadcastChannel ? { BroadcastChannel } : {}),
    })
    const tab = createTestStore({ env: browser.env, storage: memoryStorage(), ...storeOptions })
    disposeAfterTest(tab.store)
    return { ...tab, browser }
  }

  /**
   * A tab as `openTab` opens it, signed in with a token issued now (with `refreshToken`, when
   * given). It returns the storage the tab was opened on, for the test to write to as the other
   * tabs of the origin would, and every sign-out since the tab opened.
   */
  async function openSignedInTab({
    storage = memoryStorage(),
    refreshToken,
    ...options
  }: Omit<TabOptions, 'storage'> & { storage?: StateStorage; refreshToken?: string } = {}) {
    const tab = openTab({ ...options, storage })
    const signOuts = recordSignOuts(tab.store)
    const accessToken = tokenAt(Date.now())
    await tab.store
      .getState()
      .login(refreshToken === undefined ? accessToken : { accessToken, refreshToken })
    return { ...tab, storage, signOuts }
  }

  /** The tabs of one origin sharing localStorage (test/utils/sharedOrigin.ts). */
  function openOrigin(options: Parameters<typeof createSharedOrigin>[0] = {}) {
    const origin = createSharedOrigin(options)
    return {
      items: origin.items,
      openTab(tabOptions: Parameters<typeof origin.openTab>[0] = {}) {
        const tab = origin.openTab(tabOptions)
        disposeAfterTest(tab.store)
        return tab
      },
    }
  }

  return { openTab, openSignedInTab, openOrigin, disposeAfterTest }
}
