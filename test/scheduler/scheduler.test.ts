import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { activeFor, createTestStore, recordSignOuts } from '../utils/createTestStore'
import { tokenAt } from '../utils/jwt'

const SECOND = 1_000
const MINUTE = 60_000

beforeEach(() => {
  vi.useFakeTimers({ now: new Date('2026-01-01T09:00:00Z') })
})
afterEach(() => {
  vi.useRealTimers()
})

describe('ticking', () => {
  it('ticks every tickMs while signed in: edges on both sides', async () => {
    const { store, fake } = createTestStore()
    await store.getState().login(tokenAt(Date.now()))
    await vi.advanceTimersByTimeAsync(MINUTE - 1)
    expect(fake.transport.validate).not.toHaveBeenCalled()
    await vi.advanceTimersByTimeAsync(1)
    expect(fake.transport.validate).toHaveBeenCalledTimes(1)
    await vi.advanceTimersByTimeAsync(MINUTE)
    expect(fake.transport.validate).toHaveBeenCalledTimes(2)
  })

  it('honours a custom tickMs', async () => {
    const { store, fake } = createTestStore({ tickMs: 5 * SECOND })
    await store.getState().login(tokenAt(Date.now()))
    await vi.advanceTimersByTimeAsync(20 * SECOND)
    expect(fake.transport.validate).toHaveBeenCalledTimes(4)
  })

  it('stops while signed out and starts again on login', async () => {
    const { store, fake } = createTestStore()
    await store.getState().login(tokenAt(Date.now()))
    await store.getState().logout()
    await vi.advanceTimersByTimeAsync(10 * MINUTE)
    expect(fake.transport.validate).not.toHaveBeenCalled()
    expect(vi.getTimerCount()).toBe(0)
    await store.getState().login(tokenAt(Date.now()))
    await vi.advanceTimersByTimeAsync(MINUTE)
    expect(fake.transport.validate).toHaveBeenCalledTimes(1)
  })

  it('refreshes inside the refresh window instead of validating', async () => {
    const { store, fake } = createTestStore()
    await store.getState().login(tokenAt(Date.now()))
    await vi.advanceTimersByTimeAsync(54 * MINUTE)
    expect(fake.transport.refresh).not.toHaveBeenCalled()
    expect(fake.transport.validate).toHaveBeenCalledTimes(54)
    await vi.advanceTimersByTimeAsync(MINUTE)
    expect(fake.transport.refresh).toHaveBeenCalledTimes(1)
    expect(fake.transport.validate).toHaveBeenCalledTimes(54)
  })

  it('skips the validation on the tick right after a refresh: the token is brand new', async () => {
    const { store, fake } = createTestStore()
    await store.getState().login(tokenAt(Date.now()))
    await vi.advanceTimersByTimeAsync(55 * MINUTE)
    expect(fake.transport.refresh).toHaveBeenCalledTimes(1)
    const validations = fake.transport.validate.mock.calls.length
    await vi.advanceTimersByTimeAsync(MINUTE)
    expect(fake.transport.validate.mock.calls.length).toBe(validations)
    await vi.advanceTimersByTimeAsync(MINUTE)
    expect(fake.transport.validate.mock.calls.length).toBe(validations + 1)
  })

  it('validateEveryTick: validates on the tick right after a refresh too', async () => {
    const { store, fake } = createTestStore({ validateEveryTick: true })
    await store.getState().login(tokenAt(Date.now()))
    await vi.advanceTimersByTimeAsync(55 * MINUTE)
    expect(fake.transport.refresh).toHaveBeenCalledTimes(1)
    const validations = fake.transport.validate.mock.calls.length
    await vi.advanceTimersByTimeAsync(MINUTE)
    expect(fake.transport.validate.mock.calls.length).toBe(validations + 1)
  })

  it('never overlaps a refresh that is still in flight', async () => {
    const { store, fake } = createTestStore()
    await store.getState().login(tokenAt(Date.now()))
    fake.holdResponses(true)
    void store.getState().refresh()
    await vi.advanceTimersByTimeAsync(3 * MINUTE)
    expect(fake.transport.refresh).toHaveBeenCalledTimes(1)
    expect(fake.transport.validate).not.toHaveBeenCalled()
    fake.holdResponses(false)
  })

  it('stop() clears the timer; tickNow() runs a tick at once', async () => {
    const { store, fake } = createTestStore()
    await store.getState().login(tokenAt(Date.now()))
    store.scheduler.stop()
    expect(vi.getTimerCount()).toBe(0)
    await vi.advanceTimersByTimeAsync(5 * MINUTE)
    expect(fake.transport.validate).not.toHaveBeenCalled()
    store.scheduler.start()
    await store.scheduler.tickNow()
    expect(fake.transport.validate).toHaveBeenCalledTimes(1)
  })

  it('dispose() stops every timer and is idempotent', async () => {
    const { store, fake } = createTestStore()
    await store.getState().login(tokenAt(Date.now()))
    store.dispose()
    store.dispose()
    expect(vi.getTimerCount()).toBe(0)
    await vi.advanceTimersByTimeAsync(10 * MINUTE)
    expect(fake.transport.validate).not.toHaveBeenCalled()
  })
})

describe('transient failures and backoff', () => {
  it('retries a failing validation at the next tick, not sooner: the token still works', async () => {
    const { store, fake } = createTestStore()
    await store.getState().login(tokenAt(Date.now()))
    const at: number[] = []
    const start = Date.now()
    fake.transport.validate.mockImplementation(async () => {
      at.push(Date.now() - start)
      throw Object.assign(new Error('503'), { status: 503 })
    })
    await vi.advanceTimersByTimeAsync(10 * MINUTE)
    expect(at).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10].map((m) => m * MINUTE))
    expect(fake.transport.refresh).not.toHaveBeenCalled()
    expect(store.getState()).toMatchObject({ status: 'degraded', signOutReason: null })
  })

  it('spreads the retries of a due refresh with jitter', async () => {
    const { store, fake } = createTestStore({ random: () => 0 })
    await store.getState().login(tokenAt(Date.now()))
    await vi.advanceTimersByTimeAsync(54 * MINUTE)
    fake.next('refresh', 503)
    await vi.advanceTimersByTimeAsync(MINUTE)
    expect(fake.transport.refresh).toHaveBeenCalledTimes(1)
    // random() = 0 → the lower edge of ±20 %: 800 ms instead of 1 s.
    await vi.advanceTimersByTimeAsync(799)
    expect(fake.transport.refresh).toHaveBeenCalledTimes(1)
    await vi.advanceTimersByTimeAsync(1)
    expect(fake.transport.refresh).toHaveBeenCalledTimes(2)
  })

  it('waits for the server’s Retry-After when it is longer than a tick', async () => {
    const { store, fake } = createTestStore()
    await store.getState().login(tokenAt(Date.now()))
    fake.transport.validate.mockRejectedValueOnce(
      Object.assign(new Error('429'), {
        name: 'HttpError',
        code: 'http',
        status: 429,
        retryAfterMs: 90 * SECOND,
      }),
    )
    await vi.advanceTimersByTimeAsync(MINUTE + 90 * SECOND - 1)
    expect(fake.transport.validate).toHaveBeenCalledTimes(1)
    await vi.advanceTimersByTimeAsync(1)
    expect(fake.transport.validate).toHaveBeenCalledTimes(2)
  })

  it('is back to authenticated within one tick of the server recovering', async () => {
    const { store, fake } = createTestStore()
    await store.getState().login(tokenAt(Date.now()))
    let serverUp = false
    fake.setPolicy('validate', () => (serverUp ? 'ok' : 503))
    await vi.advanceTimersByTimeAsync(10 * MINUTE)
    expect(store.getState().status).toBe('degraded')
    serverUp = true
    await vi.advanceTimersByTimeAsync(MINUTE)
    expect(store.getState()).toMatchObject({ status: 'authenticated', error: null })
    // and back to the normal period afterwards
    const calls = fake.transport.validate.mock.calls.length
    await vi.advanceTimersByTimeAsync(MINUTE)
    expect(fake.transport.validate.mock.calls.length).toBe(calls + 1)
  })

  it('past expiry, keeps retrying a failing refresh forever and never signs out', async () => {
    const { store, fake } = createTestStore()
    const signOuts = recordSignOuts(store)
    await store.getState().login(tokenAt(Date.now()))
    fake.setPolicy(
      'refresh',
      (call) => (['network', 'timeout', 500, 503] as const)[call % 4] ?? 503,
    )
    // keep the user active so the idle timeout is not what we test
    await activeFor(store, 120 * MINUTE, MINUTE)
    expect(store.getState().expiresAt as number).toBeLessThan(Date.now())
    expect(store.getState().status).toBe('degraded')
    expect(signOuts).toEqual([])
    // first refresh at 55:00, ramping up, then every 15 s (the cap while the token is due):
    // about four a minute over 65 minutes, never a storm
    expect(fake.transport.refresh.mock.calls.length).toBeGreaterThan(4 * 60)
    expect(fake.transport.refresh.mock.calls.length).toBeLessThanOrEqual(4 * 65 + 5)
    fake.setPolicy('refresh', undefined)
    await vi.advanceTimersByTimeAsync(MINUTE)
    expect(store.getState().status).toBe('authenticated')
    expect(store.getState().expiresAt as number).toBeGreaterThan(Date.now())
  })

  it('a transient failure outside a tick is retried on time: at once when due, else next tick', async () => {
    const { store, fake } = createTestStore()
    await store.getState().login(tokenAt(Date.now()))
    await vi.advanceTimersByTimeAsync(10 * SECOND)
    fake.next('refresh', 'network')
    await store.getState().refresh()
    // The token is not in its window: the retry is the regular tick at 1:00, which validates.
    await vi.advanceTimersByTimeAsync(50 * SECOND - 1)
    expect(fake.transport.validate).not.toHaveBeenCalled()
    await vi.advanceTimersByTimeAsync(1)
    expect(fake.transport.validate).toHaveBeenCalledTimes(1)
    expect(store.getState().status).toBe('authenticated')
    // With a token inside its window, the same failure is retried after the first backoff
    // step (1 s), not at the tick.
    const due = createTestStore()
    await due.store.getState().login(tokenAt(Date.now(), 4 * MINUTE))
    due.fake.next('refresh', 'network')
    await due.store.getState().refresh()
    await vi.advanceTimersByTimeAsync(SECOND - 1)
    expect(due.fake.transport.refresh).toHaveBeenCalledTimes(1)
    await vi.advanceTimersByTimeAsync(1)
    expect(due.fake.transport.refresh).toHaveBeenCalledTimes(2)
  })
})

describe('idle timeout', () => {
  it('signs out "idle" within one tick after the timeout, never before', async () => {
    const { store } = createTestStore()
    await store.getState().login(tokenAt(Date.now()))
    const loginAt = Date.now()
    await vi.advanceTimersByTimeAsync(60 * MINUTE - 1)
    expect(store.getState().status).not.toBe('signedOut')
    await vi.advanceTimersByTimeAsync(1)
    expect(store.getState()).toMatchObject({ status: 'signedOut', signOutReason: 'idle' })
    expect(Date.now() - loginAt).toBeLessThan(61 * MINUTE)
  })

  it('measures from the newest activity even when it was never written (throttled)', async () => {
    const { store } = createTestStore()
    await store.getState().login(tokenAt(Date.now()))
    const loginAt = Date.now()
    // activity 30 s after login: inside the throttle period, so not written yet
    vi.setSystemTime(loginAt + 30 * SECOND)
    store.getState().recordActivity()
    expect(store.getState().lastActivityAt).toBe(loginAt)
    vi.setSystemTime(loginAt)
    await vi.advanceTimersByTimeAsync(60 * MINUTE)
    expect(store.getState().status).not.toBe('signedOut')
    await vi.advanceTimersByTimeAsync(MINUTE)
    expect(store.getState().signOutReason).toBe('idle')
  })

  it('an active user is refreshed for 8 hours with no sign-out', async () => {
    const { store, fake } = createTestStore()
    const signOuts = recordSignOuts(store)
    await store.getState().login(tokenAt(Date.now()))
    await activeFor(store, 8 * 60 * MINUTE, MINUTE)
    expect(signOuts).toEqual([])
    expect(fake.transport.refresh).toHaveBeenCalledTimes(8)
  })

  it('stays within one tick of the timeout when every validation takes 10 s', async () => {
    const { store, fake } = createTestStore()
    const signOuts = recordSignOuts(store)
    fake.transport.validate.mockImplementation(
      () => new Promise<void>((resolve) => setTimeout(resolve, 10_000)),
    )
    await store.getState().login(tokenAt(Date.now(), 24 * 60 * MINUTE))
    // Ticks start every 60 s from login whatever their requests take; the last activity at
    // 31 s puts the deadline just after the tick at 60:00 began.
    await vi.advanceTimersByTimeAsync(31 * SECOND)
    store.getState().recordActivity()
    await vi.advanceTimersByTimeAsync(60 * MINUTE - 1)
    expect(signOuts).toEqual([])
    await vi.advanceTimersByTimeAsync(MINUTE - 31 * SECOND + 1)
    expect(signOuts).toEqual(['idle'])
  })

  it('signs out at the deadline itself, even while failing requests stretch the ticks', async () => {
    const { store, fake } = createTestStore()
    const signOuts = recordSignOuts(store)
    fake.transport.validate.mockImplementation(
      () =>
        new Promise<void>((_, reject) =>
          setTimeout(() => reject(Object.assign(new Error('503'), { status: 503 })), 10_000),
        ),
    )
    await store.getState().login(tokenAt(Date.now(), 24 * 60 * MINUTE))
    await vi.advanceTimersByTimeAsync(7 * SECOND)
    store.getState().recordActivity() // inside the throttle period: kept in memory only
    await vi.advanceTimersByTimeAsync(60 * MINUTE - 1)
    expect(signOuts).toEqual([])
    await vi.advanceTimersByTimeAsync(1)
    expect(signOuts).toEqual(['idle'])
  })

  it('honours a custom idleTimeoutMs', async () => {
    const { store } = createTestStore({ idleTimeoutMs: 5 * MINUTE })
    await store.getState().login(tokenAt(Date.now()))
    await vi.advanceTimersByTimeAsync(5 * MINUTE)
    expect(store.getState().signOutReason).toBe('idle')
  })
})

describe('backoff while the token is due', () => {
  it('retries a failing refresh at most every 15 s: about four a minute, one at a time', async () => {
    const { store, fake } = createTestStore()
    await store.getState().login(tokenAt(Date.now()))
    await vi.advanceTimersByTimeAsync(54 * MINUTE)
    const at: number[] = []
    fake.transport.refresh.mockImplementation(async () => {
      at.push(Date.now())
      throw Object.assign(new Error('503'), { status: 503 })
    })
    await vi.advanceTimersByTimeAsync(3 * MINUTE)
    const gaps = at.slice(1).map((t, i) => t - (at[i] as number))
    expect(gaps.slice(0, 6)).toEqual([1, 2, 4, 8, 15, 15].map((s) => s * SECOND))
    const lastMinute = at.filter((t) => t > Date.now() - MINUTE)
    expect(lastMinute.length).toBeLessThanOrEqual(4)
  })

  it('honours Retry-After only up to the refresh window', async () => {
    const { store, fake } = createTestStore()
    await store.getState().login(tokenAt(Date.now()))
    fake.transport.validate.mockRejectedValueOnce(
      Object.assign(new Error('503'), {
        name: 'HttpError',
        code: 'http',
        status: 503,
        retryAfterMs: 3_600_000,
      }),
    )
    await vi.advanceTimersByTimeAsync(MINUTE + 5 * MINUTE - 1)
    expect(fake.transport.validate).toHaveBeenCalledTimes(1)
    await vi.advanceTimersByTimeAsync(1)
    expect(fake.transport.validate).toHaveBeenCalledTimes(2)
  })
})
