import { afterEach, expect } from 'vitest'
import { isUnauthorized } from '../../src/errors/guards'
import type { AuthState } from '../../src/storeTypes'
import type { Transport } from '../../src/types'
import { UNREDACTED_JWT } from './jwt'

/**
 * The store's invariants, checked after every state change of every store a test builds with
 * `createTestStore`, and asserted after each test:
 * - signed out ⇔ no token; a token always has a finite expiry;
 * - a sign-out reason exactly while signed out after a sign-out;
 * - at most one refresh request in flight;
 * - no sign-out for 'unauthorized'/'expired' without a 401 from the server;
 * - no token in an error message kept in state.
 */
const violations: string[] = []

afterEach(() => {
  const found = violations.splice(0)
  expect(found, 'store invariants').toEqual([])
})

export interface Observed {
  transport: Transport<unknown>
  unauthorizedAnswers: () => number
}

/** Wraps a transport (delegating at call time, so mocks set later still apply) to observe it. */
export function observeTransport(target: Transport<unknown>): Observed {
  let refreshesInFlight = 0
  let unauthorized = 0
  const observe = async <T>(call: () => Promise<T>): Promise<T> => {
    try {
      return await call()
    } catch (error) {
      if (isUnauthorized(error)) unauthorized += 1
      throw error
    }
  }
  const transport: Transport<unknown> = {
    refresh: async (session) => {
      refreshesInFlight += 1
      if (refreshesInFlight > 1) violations.push(`${refreshesInFlight} refresh requests in flight`)
      try {
        return await observe(() => target.refresh(session))
      } finally {
        refreshesInFlight -= 1
      }
    },
  }
  // Only the optional methods the target has: their absence changes the store's behaviour.
  if (target.validate)
    transport.validate = (session) => observe(() => target.validate?.(session) as Promise<void>)
  if (target.login)
    transport.login = (credentials) => observe(() => target.login?.(credentials) as never)
  if (target.logout) transport.logout = (session) => target.logout?.(session) as Promise<void>
  return { transport, unauthorizedAnswers: () => unauthorized }
}

export function checkInvariants(
  store: {
    subscribe(listener: (state: AuthState, previous: AuthState) => void): () => void
    getState(): AuthState
  },
  observed: Observed,
): void {
  let serverSignOuts = 0
  const check = (state: AuthState, previous: AuthState | null) => {
    const signedOut = state.status === 'signedOut'
    if (signedOut !== (state.token === null)) {
      violations.push(`status ${state.status} with token ${state.token === null ? 'null' : 'set'}`)
    }
    if (state.token !== null && !Number.isFinite(state.expiresAt)) {
      violations.push(`a token with expiresAt ${state.expiresAt}`)
    }
    if (state.error && UNREDACTED_JWT.test(state.error.message)) {
      violations.push(`a token in the error message: ${state.error.message.slice(0, 80)}`)
    }
    for (const [name, job] of Object.entries(state.jobs ?? {})) {
      if (job.error && UNREDACTED_JWT.test(job.error.message))
        violations.push(`a token in job ${name}'s error`)
    }
    if (!signedOut && state.signOutReason !== null) {
      violations.push(`signed in with signOutReason ${state.signOutReason}`)
    }
    if (previous && previous.status !== 'signedOut' && signedOut) {
      if (state.signOutReason === null) violations.push('a sign-out without a reason')
      if (state.signOutReason === 'unauthorized' || state.signOutReason === 'expired') {
        serverSignOuts += 1
        if (serverSignOuts > observed.unauthorizedAnswers()) {
          violations.push(`signed out "${state.signOutReason}" without a 401 from the server`)
        }
      }
    }
  }
  check(store.getState(), null)
  store.subscribe(check)
}
