import fc from 'fast-check'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { createTestStore } from '../utils/createTestStore'
import { errorFor } from '../utils/fakeTransport'
import { makeJwt, tokenAt } from '../utils/jwt'
import { configurePropertyRuns } from '../utils/propertyRuns'

configurePropertyRuns()
const SECOND = 1_000
const MINUTE = 60_000

beforeEach(() => {
  vi.useFakeTimers({ now: new Date('2026-01-01T09:00:00Z') })
  vi.spyOn(console, 'warn').mockImplementation(() => {})
})
afterEach(() => {
  vi.useRealTimers()
})

/** One server answer: its outcome and how long it takes (some outlive a logout or a newer refresh). */
const answer = fc.record({
  outcome: fc.constantFrom(
    'ok',
    401,
    403,
    429,
    '429-retry-after',
    500,
    503,
    'timeout',
    'network',
    'garbage',
  ),
  delayMs: fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 90 * SECOND })),
})
type Answer = { outcome: string | number; delayMs: number }

/** What the user or the app does between answers. */
const step = fc.oneof(
  fc.record({
    kind: fc.constant('advance' as const),
    ms: fc.integer({ min: 1, max: 10 * MINUTE }),
  }),
  fc.constant({ kind: 'refresh' as const }),
  fc.constant({ kind: 'validate' as const }),
  fc.constant({ kind: 'logout' as const }),
  fc.constant({ kind: 'login' as const }),
  fc.constant({ kind: 'activity' as const }),
)

const failureOf = (outcome: string | number): unknown => {
  if (outcome === '429-retry-after') {
    return Object.assign(errorFor(429), { retryAfterMs: 30 * SECOND })
  }
  if (outcome === 403)
    return Object.assign(new Error('Forbidden'), { name: 'HttpError', code: 'http', status: 403 })
  return errorFor(outcome as never)
}

describe('arbitrary server behaviour', () => {
  it('keeps every invariant, and nothing resurrects a session after logout', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(answer, { maxLength: 30 }),
        fc.array(step, { minLength: 1, maxLength: 25 }),
        async (answers, steps) => {
          const { store, fake } = createTestStore()
          const queue: Answer[] = [...answers]
          const respond = async (kind: 'refresh' | 'validate') => {
            const next = queue.shift() ?? { outcome: 'ok', delayMs: 0 }
            if (next.delayMs > 0) await new Promise((resolve) => setTimeout(resolve, next.delayMs))
            if (next.outcome === 'garbage')
              return kind === 'refresh' ? { accessToken: makeJwt({ exp: 'soon' }) } : undefined
            if (next.outcome !== 'ok') throw failureOf(next.outcome)
            return kind === 'refresh'
              ? { accessToken: tokenAt(Date.now()), refreshToken: `r${Date.now()}` }
              : undefined
          }
          fake.transport.refresh.mockImplementation(() => respond('refresh') as never)
          fake.transport.validate.mockImplementation(() => respond('validate') as never)

          await store.getState().login(tokenAt(Date.now()))
          let loggedOutAt: number | null = null
          for (const action of steps) {
            const state = store.getState()
            if (action.kind === 'advance') await vi.advanceTimersByTimeAsync(action.ms)
            else if (action.kind === 'refresh') void state.refresh()
            else if (action.kind === 'validate') void state.validate()
            else if (action.kind === 'activity') state.recordActivity()
            else if (action.kind === 'login') {
              await state.login(tokenAt(Date.now()))
              loggedOutAt = null
            } else {
              await state.logout()
              loggedOutAt = Date.now()
            }
            if (loggedOutAt !== null) {
              // Late answers for the ended session (some still in flight) must not bring it back.
              expect(store.getState().token).toBeNull()
            }
          }
          // Let every slow answer arrive.
          await vi.advanceTimersByTimeAsync(2 * MINUTE)
          if (loggedOutAt !== null) expect(store.getState().status).toBe('signedOut')
          store.dispose()
          vi.clearAllTimers()
        },
      ),
    )
  })
})
