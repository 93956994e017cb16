import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import type { Timers } from '../../src/env/timers'
import { HttpError } from '../../src/errors/HttpError'
import { createTestStore, recordSignOuts } from '../utils/createTestStore'
import { createFakeEnv } from '../utils/fakeEnv'
import { tokenAt } from '../utils/jwt'

const SECOND = 1_000
const MINUTE = 60_000

beforeEach(() => {
  vi.useFakeTimers({ now: new Date('2026-01-01T09:00:00Z') })
})
afterEach(() => {
  vi.useRealTimers()
})

const requests = (fake: ReturnType<typeof createTestStore>['fake']) =>
  fake.transport.validate.mock.calls.length + fake.transport.refresh.mock.calls.length

describe('scheduler start, stop and sign-out', () => {
  it('signed out, tickNow() sends nothing, keeps the sign-out reason and leaves no timer', async () => {
    const { store, fake } = createTestStore()
    await store.getState().login(tokenAt(Date.now()))
    await store.getState().logout()
    expect(vi.getTimerCount()).toBe(0)
    await store.scheduler.tickNow()
    expect(requests(fake)).toBe(0)
    expect(store.getState()).toMatchObject({ status: 'signedOut', signOutReason: 'user' })
    expect(vi.getTimerCount()).toBe(0)
  })

  it('stopped, tickNow() runs one tick and schedules no other', async () => {
    const { store, fake } = createTestStore()
    await store.getState().login(tokenAt(Date.now()))
    store.scheduler.stop()
    expect(store.scheduler.isRunning()).toBe(false)
    await store.scheduler.tickNow()
    expect(fake.transport.validate).toHaveBeenCalledTimes(1)
    await vi.advanceTimersByTimeAsync(10 * MINUTE)
    expect(fake.transport.validate).toHaveBeenCalledTimes(1)
    store.scheduler.start()
    expect(store.scheduler.isRunning()).toBe(true)
  })

  it('start() twice, then stop(): no tick and no catch-up afterwards', async () => {
    const browser = createFakeEnv()
    const { store, fake } = createTestStore({ env: browser.env, autoStart: false })
    store.scheduler.start()
    store.scheduler.start()
    await store.getState().login(tokenAt(Date.now()))
    store.scheduler.stop()
    vi.setSystemTime(Date.now() + 10 * MINUTE)
    browser.emit('online')
    await vi.advanceTimersByTimeAsync(10 * MINUTE)
    expect(requests(fake)).toBe(0)
  })

  it('ticks start every tickMs from the last one, however long each validation takes', async () => {
    const { store, fake } = createTestStore()
    const startedAt: number[] = []
    const loginAt = Date.now()
    fake.transport.validate.mockImplementation(() => {
      startedAt.push(Date.now() - loginAt)
      return new Promise<void>((resolve) => setTimeout(resolve, 10 * SECOND))
    })
    await store.getState().login(tokenAt(Date.now()))
    await vi.advanceTimersByTimeAsync(4 * MINUTE)
    expect(startedAt).toEqual([1, 2, 3, 4].map((m) => m * MINUTE))
  })
})

describe('the idle deadline between two ticks', () => {
  it('activity before the deadline moves it: the tick that was due still runs, the sign-out comes later', async () => {
    // Ticks every 60 s, idle after 90 s: after the tick at 1:00 the deadline (1:30) comes first.
    const { store, fake } = createTestStore({ idleTimeoutMs: 90 * SECOND })
    const signOuts = recordSignOuts(store)
    const loginAt = Date.now()
    await store.getState().login(tokenAt(Date.now()))
    await vi.advanceTimersByTimeAsync(80 * SECOND)
    store.getState().recordActivity()
    await vi.advanceTimersByTimeAsync(10 * SECOND) // 1:30, the old deadline: not idle
    expect(signOuts).toEqual([])
    await vi.advanceTimersByTimeAsync(30 * SECOND - 1)
    expect(fake.transport.validate).toHaveBeenCalledTimes(1)
    await vi.advanceTimersByTimeAsync(1) // 2:00, the tick that was due
    expect(fake.transport.validate).toHaveBeenCalledTimes(2)
    await vi.advanceTimersByTimeAsync(50 * SECOND - 1) // just before 2:50 (1:20 + 90 s)
    expect(signOuts).toEqual([])
    await vi.advanceTimersByTimeAsync(1)
    expect(signOuts).toEqual(['idle'])
    expect(Date.now() - loginAt).toBe(170 * SECOND)
  })
})

describe('after a failure is over', () => {
  it('an API call proves the session again, as before the failure', async () => {
    const { store, fake } = createTestStore()
    await store.getState().login(tokenAt(Date.now()))
    fake.next('validate', 503)
    await vi.advanceTimersByTimeAsync(MINUTE) // fails
    await vi.advanceTimersByTimeAsync(MINUTE) // succeeds
    expect(store.getState().status).toBe('authenticated')
    expect(fake.transport.validate).toHaveBeenCalledTimes(2)
    await vi.advanceTimersByTimeAsync(MINUTE - 1)
    store.markSessionValid()
    await vi.advanceTimersByTimeAsync(1)
    expect(fake.transport.validate).toHaveBeenCalledTimes(2)
  })

  it('ticks keep their period after a failed validation and a good one', async () => {
    const { store, fake } = createTestStore()
    const loginAt = Date.now()
    const startedAt: number[] = []
    fake.transport.validate.mockImplementation(async () => {
      startedAt.push(Date.now() - loginAt)
      if (startedAt.length === 1) throw Object.assign(new Error('503'), { status: 503 })
    })
    await store.getState().login(tokenAt(Date.now()))
    await vi.advanceTimersByTimeAsync(4 * MINUTE)
    expect(startedAt).toEqual([1, 2, 3, 4].map((m) => m * MINUTE))
  })
})

describe('catch-up events', () => {
  it('"online" events less than a second apart run one check; a second later, another', async () => {
    const browser = createFakeEnv()
    const { store, fake } = createTestStore({ env: browser.env })
    await store.getState().login(tokenAt(Date.now()))
    browser.emit('online')
    await vi.advanceTimersByTimeAsync(999)
    browser.emit('online')
    await vi.advanceTimersByTimeAsync(0)
    expect(fake.transport.validate).toHaveBeenCalledTimes(1)
    await vi.advanceTimersByTimeAsync(1)
    browser.emit('online')
    await vi.advanceTimersByTimeAsync(0)
    expect(fake.transport.validate).toHaveBeenCalledTimes(2)
  })

  it('"online" checks with the server even when an API call has just proved the session', async () => {
    const browser = createFakeEnv()
    const { store, fake } = createTestStore({ env: browser.env })
    await store.getState().login(tokenAt(Date.now()))
    await vi.advanceTimersByTimeAsync(10 * SECOND)
    store.markSessionValid()
    browser.emit('online')
    await vi.advanceTimersByTimeAsync(0)
    expect(fake.transport.validate).toHaveBeenCalledTimes(1)
  })
})

describe('a tick that throws', () => {
  it('is reported as a warning and the next tick still runs', async () => {
    const warnings = vi.spyOn(console, 'warn').mockImplementation(() => {})
    const { store, fake } = createTestStore()
    await store.getState().login(tokenAt(Date.now()))
    // An app subscriber that throws on the refresh's first write, inside the tick.
    const unsubscribe = store.subscribe((state) => {
      if (state.status === 'refreshing') throw new Error('subscriber bug')
    })
    await vi.advanceTimersByTimeAsync(55 * MINUTE)
    expect(warnings).toHaveBeenCalledWith(
      '[zustand-auth-session] a scheduler tick failed: subscriber bug',
    )
    unsubscribe()
    const validations = fake.transport.validate.mock.calls.length
    await vi.advanceTimersByTimeAsync(MINUTE)
    expect(
      fake.transport.refresh.mock.calls.length + fake.transport.validate.mock.calls.length,
    ).toBe(validations + 1)
  })
})

describe('limits while the token is due', () => {
  it('caps a Retry-After on a due refresh at the refresh window', async () => {
    const { store, fake } = createTestStore({ idleTimeoutMs: Number.POSITIVE_INFINITY })
    await store.getState().login(tokenAt(Date.now()))
    await vi.advanceTimersByTimeAsync(54 * MINUTE)
    fake.transport.refresh.mockRejectedValueOnce(
      new HttpError(503, 'busy', { retryAfterMs: 60 * MINUTE }),
    )
    await vi.advanceTimersByTimeAsync(MINUTE) // 55:00, the first refresh: 503, come back in 1 h
    expect(fake.transport.refresh).toHaveBeenCalledTimes(1)
    await vi.advanceTimersByTimeAsync(5 * MINUTE - 1)
    expect(fake.transport.refresh).toHaveBeenCalledTimes(1)
    await vi.advanceTimersByTimeAsync(1)
    expect(fake.transport.refresh).toHaveBeenCalledTimes(2)
  })
})

describe('a catch-up one period after the last tick', () => {
  it.each([
    { after: MINUTE - 1, validates: 0 },
    { after: MINUTE, validates: 1 },
  ])(
    '$after ms after it is overdue when validates = $validates, even if an API call proved the session',
    async ({ after, validates }) => {
      // Timers that run late, so no regular tick comes in between.
      const late: Timers = {
        setTimeout: (callback, ms) => setTimeout(callback, ms + 10 * MINUTE),
        clearTimeout: (handle) => clearTimeout(handle),
      }
      const browser = createFakeEnv()
      const { store, fake } = createTestStore({ env: browser.env, timers: late })
      await store.getState().login(tokenAt(Date.now()))
      await vi.advanceTimersByTimeAsync(30 * SECOND)
      store.markSessionValid()
      await vi.advanceTimersByTimeAsync(after - 30 * SECOND)
      browser.emit('focus')
      await vi.advanceTimersByTimeAsync(0)
      expect(fake.transport.validate).toHaveBeenCalledTimes(validates)
    },
  )
})
