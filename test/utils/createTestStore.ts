import { expect, vi } from 'vitest'
import { createAuthStore } from '../../src/createAuthStore'
import { headlessEnv } from '../../src/env/browser'
import type { AuthStoreOptions } from '../../src/options'
import { createFakeTransport, type FakeTransport } from './fakeTransport'
import { checkInvariants, observeTransport } from './invariants'

/**
 * A fresh store per test: scripted transport, memory storage, no devtools, the fake-timer
 * clock, and jitter pinned to the middle (random = 0.5) so backoff delays are exact. Its
 * invariants are checked after every state change (test/utils/invariants.ts).
 */
export function createTestStore(
  overrides: Partial<AuthStoreOptions> & { fake?: FakeTransport } = {},
) {
  const fake = overrides.fake ?? createFakeTransport()
  const observed = observeTransport(overrides.transport ?? fake.transport)
  const store = createAuthStore({
    storage: null,
    devtools: false,
    now: () => Date.now(),
    random: () => 0.5,
    env: headlessEnv,
    ...overrides,
    transport: observed.transport,
  })
  checkInvariants(store, observed)
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

/**
 * Advances `ms` of fake time with the user active: time moves `stepMs`, then one activity,
 * until `ms` has passed.
 */
export async function activeFor(
  store: ReturnType<typeof createTestStore>['store'],
  ms: number,
  stepMs = 30_000,
) {
  for (let elapsed = 0; elapsed < ms; elapsed += stepMs) {
    await vi.advanceTimersByTimeAsync(stepMs)
    store.getState().recordActivity()
  }
}

/**
 * Asserts the activity throttle edge of a signed-in store: an activity `periodMs` - 1 after
 * login is held back, one at `periodMs` is written.
 */
export function expectActivityWrittenAfter(
  store: ReturnType<typeof createTestStore>['store'],
  periodMs: number,
) {
  const loginAt = Date.now()
  vi.setSystemTime(loginAt + periodMs - 1)
  store.getState().recordActivity()
  expect(store.getState().lastActivityAt).toBe(loginAt)
  vi.setSystemTime(loginAt + periodMs)
  store.getState().recordActivity()
  expect(store.getState().lastActivityAt).toBe(loginAt + periodMs)
}
