import { describe, expect, it } from 'vitest'
import { createAuthStore } from '../../src/createAuthStore'
import type { AuthStoreOptions } from '../../src/options'
import { memoryStorage } from '../../src/persistence/memoryStorage'
import { parseTabMessage } from '../../src/tabs/messages'
import { createChannelBus } from '../utils/fakeChannelBus'
import { createFakeEnv } from '../utils/fakeEnv'
import { createFakeTransport } from '../utils/fakeTransport'
import { tokenAt } from '../utils/jwt'
import { tabsOnFakeTimers } from '../utils/tabsOnFakeTimers'

const MINUTE = 60_000
const KEY = 'auth-session'

const tabs = tabsOnFakeTimers()

/**
 * A tab built without createTestStore's invariant checks: these tests put the store in states
 * the library itself never makes (the app's own `setState`).
 */
function openUncheckedTab(
  bus: ReturnType<typeof createChannelBus>,
  options: Partial<AuthStoreOptions> = {},
) {
  return tabs.disposeAfterTest(
    createAuthStore({
      transport: createFakeTransport().transport,
      storage: memoryStorage(),
      devtools: false,
      now: () => Date.now(),
      random: () => 0.5,
      env: createFakeEnv({ BroadcastChannel: bus.Channel }).env,
      ...options,
    }),
  )
}

/** What another tab of this library would make of each message posted. */
const readByAnotherTab = (bus: ReturnType<typeof createChannelBus>) =>
  bus.posted.map((message) => parseTabMessage(message, KEY, 'another-tab'))

describe('changes the library did not make: a tab posts only what the others can read', () => {
  it('a sign-out the app writes itself, without a reason, is posted as "user", and the others take it', async () => {
    const bus = createChannelBus()
    const store = openUncheckedTab(bus)
    await store.getState().login(tokenAt(Date.now()))
    store.setState({ token: null, expiresAt: null, status: 'signedOut', signOutReason: null })
    expect(bus.kinds()).toEqual(['session', 'signOut'])
    expect(readByAnotherTab(bus).at(-1)).toMatchObject({ kind: 'signOut', reason: 'user' })
  })

  it('a token the app puts in state without an expiry is not posted: no tab could take it', async () => {
    const bus = createChannelBus()
    const store = openUncheckedTab(bus)
    await store.getState().login(tokenAt(Date.now()))
    store.setState({ token: tokenAt(Date.now() + MINUTE), expiresAt: null })
    expect(bus.kinds()).toEqual(['session'])
  })

  it('an app that ends the session from a subscriber as a refresh lands: no validation is posted for the ended session', async () => {
    const bus = createChannelBus()
    const { store } = tabs.openTab({ BroadcastChannel: bus.Channel })
    await store.getState().login({ accessToken: tokenAt(Date.now()), refreshToken: 'r-0' })
    // Say the refreshed token names another user: the app signs this one out at once.
    store.subscribe((state, previous) => {
      if (previous.status === 'refreshing' && state.status === 'authenticated') {
        void state.logout()
      }
    })
    expect(await store.getState().refresh()).toBe(true)
    expect(store.getState().status).toBe('signedOut')
    expect(bus.kinds()).toEqual(['session', 'session', 'signOut'])
    expect(readByAnotherTab(bus)).not.toContain(null)
  })
})
