import { createAuthStore } from '../../src/createAuthStore'
import { headlessEnv } from '../../src/env/browser'
import type { AuthStoreOptions } from '../../src/options'
import { createFakeTransport, type FakeTransport } from './fakeTransport'

/**
 * A fresh store per test: scripted transport, memory storage, no devtools, the fake-timer
 * clock, and jitter pinned to the middle (random = 0.5) so backoff delays are exact.
 */
export function createTestStore(
  overrides: Partial<AuthStoreOptions> & { fake?: FakeTransport } = {},
) {
  const fake = overrides.fake ?? createFakeTransport()
  const store = createAuthStore({
    transport: fake.transport,
    storage: null,
    devtools: false,
    now: () => Date.now(),
    random: () => 0.5,
    env: headlessEnv,
    ...overrides,
  })
  return { store, fake }
}

/** Sign-outs and their reasons, as a list, from a store subscription. */
export function recordSignOuts(store: ReturnType<typeof createTestStore>['store']) {
  const reasons: Array<string | null> = []
  store.subscribe((state, previous) => {
    if (state.status === 'signedOut' && previous.status !== 'signedOut') {
      reasons.push(state.signOutReason)
    }
  })
  return reasons
}
