import fc from 'fast-check'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { isAuthError } from '../../src/errors/guards'
import { memoryStorage } from '../../src/persistence/memoryStorage'
import { createTestStore } from '../utils/createTestStore'
import { makeJwt } from '../utils/jwt'
import { configurePropertyRuns } from '../utils/propertyRuns'

configurePropertyRuns()
const MINUTE = 60_000

beforeEach(() => {
  vi.useFakeTimers({ now: new Date('2026-01-01T09:00:00Z') })
  vi.spyOn(console, 'warn').mockImplementation(() => {})
})
afterEach(() => {
  vi.useRealTimers()
})

const claimValue = fc.oneof(
  fc.constant(undefined),
  fc.constant(null),
  fc.constant(Number.NaN),
  fc.constant(Number.POSITIVE_INFINITY),
  fc.integer({ min: -1e10, max: 1e11 }),
  fc.double({ noNaN: false }),
  fc.string(),
  fc.constant(0),
)

/** JWT-shaped tokens whose claims are anything, and strings that are not JWTs at all. */
const hostileToken = fc.oneof(
  fc.string(),
  fc.record({ exp: claimValue, iat: claimValue }).map((claims) => makeJwt(claims)),
  fc
    .jsonValue()
    .map(
      (payload) =>
        `eyJhbGciOiJIUzI1NiJ9.${Buffer.from(JSON.stringify(payload) ?? '').toString('base64url')}.sig`,
    ),
  fc.string().map((text) => `eyJhbGciOiJIUzI1NiJ9.${Buffer.from(text).toString('base64url')}.sig`),
)

describe('hostile tokens', () => {
  it('login: a typed error and an unchanged store, or a consistent session; never a refresh storm', async () => {
    await fc.assert(
      fc.asyncProperty(hostileToken, async (token) => {
        const { store, fake } = createTestStore()
        const before = store.getState()
        const failure = await store
          .getState()
          .login(token)
          .catch((error: unknown) => error)
        if (failure !== undefined) {
          expect(isAuthError(failure)).toBe(true)
          expect(store.getState()).toBe(before)
        } else {
          // A token the store accepted: let its scheduler run ten minutes; the refresh answers
          // with the same odd token, the worst case for a loop.
          fake.transport.refresh.mockImplementation(async () => ({ accessToken: token }))
          await vi.advanceTimersByTimeAsync(10 * MINUTE)
          const requests =
            fake.transport.refresh.mock.calls.length + fake.transport.validate.mock.calls.length
          expect(requests).toBeLessThanOrEqual(10 * 6)
          expect(
            Number.isFinite(store.getState().expiresAt) || store.getState().token === null,
          ).toBe(true)
        }
        store.dispose()
        vi.clearAllTimers()
      }),
    )
  })

  it('rehydration: a stored token of any shape gives a consistent state and no throw', async () => {
    await fc.assert(
      fc.asyncProperty(
        hostileToken,
        claimValue,
        claimValue,
        async (token, expiresAt, lastActivityAt) => {
          const storage = memoryStorage()
          storage.setItem(
            'auth-session',
            JSON.stringify({
              state: { token, expiresAt, lastActivityAt, refreshToken: 7 },
              version: 1,
            }),
          )
          const { store } = createTestStore({ storage })
          const state = store.getState()
          expect(state.status === 'signedOut' || typeof state.token === 'string').toBe(true)
          await vi.advanceTimersByTimeAsync(2 * MINUTE)
          store.dispose()
          vi.clearAllTimers()
        },
      ),
    )
  })
})
