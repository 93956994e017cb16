import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { createAuthStore } from '../../src/createAuthStore'
import { headlessEnv } from '../../src/env/browser'
import { HttpError } from '../../src/errors/HttpError'
import { createTestStore, expectActivityWrittenAfter } from '../utils/createTestStore'
import { createFakeTransport } from '../utils/fakeTransport'
import { tokenAt } from '../utils/jwt'

const MINUTE = 60_000

beforeEach(() => {
  vi.useFakeTimers({ now: new Date('2026-01-01T09:00:00Z') })
})
afterEach(() => {
  vi.useRealTimers()
})

const storeWith = (options: Record<string, unknown>) =>
  createAuthStore({
    transport: createFakeTransport().transport,
    storage: null,
    devtools: false,
    env: headlessEnv,
    ...options,
  })

describe('createAuthStore options', () => {
  it('refuses a missing transport, or one without refresh, with a TypeError that says so', () => {
    const required = new TypeError(
      '[zustand-auth-session] `transport` with a `refresh` function is required',
    )
    expect(() => createAuthStore(undefined as never)).toThrow(required)
    expect(() => createAuthStore({} as never)).toThrow(required)
    expect(() => storeWith({ transport: { validate: async () => {} } })).toThrow(
      /`transport` with a `refresh` function is required/,
    )
  })

  it.each([
    ['tickMs', { tickMs: 0 }, 0],
    ['refreshWindowMs', { refreshWindowMs: -1 }, -1],
    ['idleTimeoutMs', { idleTimeoutMs: Number.NaN }, Number.NaN],
    ['activityThrottleMs', { activityThrottleMs: '60s' }, '60s'],
    ['retry.initialDelayMs', { retry: { initialDelayMs: 0 } }, 0],
    ['retry.factor', { retry: { factor: -2 } }, -2],
    ['retry.maxDelayMs', { retry: { maxDelayMs: 0 } }, 0],
    ['retry.urgentMaxDelayMs', { retry: { urgentMaxDelayMs: 0 } }, 0],
    ['retry.maxRetryAfterMs', { retry: { maxRetryAfterMs: 0 } }, 0],
  ])('refuses a bad %s with a TypeError naming it and the value', (name, options, value) => {
    expect(() => storeWith(options)).toThrow(
      new TypeError(`[zustand-auth-session] \`${name}\` must be a positive number, got ${value}`),
    )
  })

  it('takes Infinity as an idle timeout: never idle', async () => {
    const { store } = createTestStore({ idleTimeoutMs: Number.POSITIVE_INFINITY })
    await store.getState().login(tokenAt(Date.now(), 24 * 60 * MINUTE))
    await vi.advanceTimersByTimeAsync(5 * 60 * MINUTE)
    expect(store.getState().status).toBe('authenticated')
  })

  it('caps Retry-After at the refresh window it is given, not the default one', async () => {
    const { store, fake } = createTestStore({ refreshWindowMs: 2 * MINUTE })
    await store.getState().login(tokenAt(Date.now()))
    fake.transport.validate.mockRejectedValueOnce(
      new HttpError(503, 'busy', { retryAfterMs: 60 * MINUTE }),
    )
    await vi.advanceTimersByTimeAsync(MINUTE + 2 * MINUTE - 1)
    expect(fake.transport.validate).toHaveBeenCalledTimes(1)
    await vi.advanceTimersByTimeAsync(1)
    expect(fake.transport.validate).toHaveBeenCalledTimes(2)
  })

  it('writes activity once per tickMs by default: a custom tickMs moves the throttle too', async () => {
    const { store } = createTestStore({ tickMs: 10_000 })
    await store.getState().login(tokenAt(Date.now()))
    expectActivityWrittenAfter(store, 10_000)
  })
})
