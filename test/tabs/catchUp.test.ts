import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import type { Timers } from '../../src/env/timers'
import { activeFor, createTestStore, recordSignOuts } from '../utils/createTestStore'
import { createFakeEnv } from '../utils/fakeEnv'
import { tokenAt } from '../utils/jwt'

const MINUTE = 60_000
const HOUR = 60 * MINUTE

beforeEach(() => {
  vi.useFakeTimers({ now: new Date('2026-01-01T09:00:00Z') })
})
afterEach(() => {
  vi.useRealTimers()
})

/** A laptop lid closed for `ms`: the clock moves on, no timer runs. */
const sleep = (ms: number) => vi.setSystemTime(Date.now() + ms)

describe('catch-up after sleep', () => {
  it('signs out "idle" on wake-up when the user was away past the timeout, with no request first', async () => {
    const browser = createFakeEnv()
    const { store, fake } = createTestStore({ env: browser.env })
    await store.getState().login(tokenAt(Date.now()))
    sleep(2 * HOUR)
    browser.emit('visibilitychange')
    await vi.advanceTimersByTimeAsync(0)
    expect(store.getState()).toMatchObject({ status: 'signedOut', signOutReason: 'idle' })
    expect(fake.transport.refresh).not.toHaveBeenCalled()
    expect(fake.transport.validate).not.toHaveBeenCalled()
  })

  it('refreshes at once on wake-up when the token expired during sleep, never a stale-token call first', async () => {
    const browser = createFakeEnv()
    const { store, fake } = createTestStore({ env: browser.env, idleTimeoutMs: 4 * HOUR })
    await store.getState().login(tokenAt(Date.now()))
    sleep(2 * HOUR)
    browser.emit('visibilitychange')
    await vi.advanceTimersByTimeAsync(0)
    expect(fake.transport.refresh).toHaveBeenCalledTimes(1)
    expect(fake.transport.validate).not.toHaveBeenCalled()
    expect(store.getState().expiresAt as number).toBeGreaterThan(Date.now() + 55 * MINUTE)
  })

  it.each(['focus', 'online', 'pageshow'])('"%s" also runs a catch-up tick', async (type) => {
    const browser = createFakeEnv()
    const { store, fake } = createTestStore({ env: browser.env, idleTimeoutMs: 4 * HOUR })
    await store.getState().login(tokenAt(Date.now()))
    sleep(2 * HOUR)
    browser.emit(type)
    await vi.advanceTimersByTimeAsync(0)
    expect(fake.transport.refresh).toHaveBeenCalledTimes(1)
  })

  it('a burst of wake-up events runs one tick', async () => {
    const browser = createFakeEnv()
    const { store, fake } = createTestStore({ env: browser.env })
    await store.getState().login(tokenAt(Date.now()))
    sleep(2 * MINUTE)
    browser.emit('visibilitychange')
    browser.emit('focus')
    browser.emit('pageshow')
    await vi.advanceTimersByTimeAsync(0)
    expect(fake.transport.validate).toHaveBeenCalledTimes(1)
  })

  it('a hidden page does not catch up; a tick that is not overdue does not validate again', async () => {
    const browser = createFakeEnv()
    const { store, fake } = createTestStore({ env: browser.env })
    await store.getState().login(tokenAt(Date.now()))
    browser.setVisibility('hidden')
    sleep(5 * MINUTE)
    browser.emit('visibilitychange')
    await vi.advanceTimersByTimeAsync(0)
    expect(fake.transport.validate).not.toHaveBeenCalled()
    browser.setVisibility('visible')
    await vi.advanceTimersByTimeAsync(MINUTE) // a regular tick validates
    expect(fake.transport.validate).toHaveBeenCalledTimes(1)
    await vi.advanceTimersByTimeAsync(10_000)
    browser.emit('focus') // 10 s after a tick: nothing is due
    await vi.advanceTimersByTimeAsync(0)
    expect(fake.transport.validate).toHaveBeenCalledTimes(1)
  })

  it('coming back online validates at once', async () => {
    const browser = createFakeEnv()
    const { store, fake } = createTestStore({ env: browser.env })
    await store.getState().login(tokenAt(Date.now()))
    await vi.advanceTimersByTimeAsync(MINUTE + 10_000)
    expect(fake.transport.validate).toHaveBeenCalledTimes(1)
    browser.emit('online')
    await vi.advanceTimersByTimeAsync(0)
    expect(fake.transport.validate).toHaveBeenCalledTimes(2)
  })

  it('the first activity after the idle timeout signs out instead of reviving the session', async () => {
    const browser = createFakeEnv()
    const { store } = createTestStore({ env: browser.env })
    await store.getState().login(tokenAt(Date.now()))
    sleep(61 * MINUTE)
    browser.emit('pointerdown')
    await vi.advanceTimersByTimeAsync(0)
    expect(store.getState().signOutReason).toBe('idle')
  })

  it('counts page events as activity', async () => {
    const browser = createFakeEnv()
    const { store } = createTestStore({ env: browser.env })
    await store.getState().login(tokenAt(Date.now()))
    sleep(2 * MINUTE)
    browser.emit('keydown')
    expect(store.getState().lastActivityAt).toBe(Date.now())
  })

  it('dispose() removes every listener it added', async () => {
    const browser = createFakeEnv()
    const { store } = createTestStore({ env: browser.env })
    expect(browser.listenerCount()).toBeGreaterThan(0)
    store.dispose()
    expect(browser.listenerCount()).toBe(0)
  })
})

describe('throttled background tab', () => {
  it('ticks every 5 minutes instead of 1: still refreshed, never signed out', async () => {
    // Chrome aligns a hidden tab's timers to a minute or more; intensive throttling, to 5+ min.
    const throttled: Timers = {
      setTimeout: (callback, ms) => setTimeout(callback, Math.max(ms, 5 * MINUTE)),
      clearTimeout: (handle) => clearTimeout(handle),
    }
    const { store, fake } = createTestStore({ timers: throttled })
    const signOuts = recordSignOuts(store)
    await store.getState().login(tokenAt(Date.now()))
    await activeFor(store, 8 * 60 * MINUTE, MINUTE)
    expect(signOuts).toEqual([])
    expect(fake.transport.refresh).toHaveBeenCalledTimes(8)
    expect(store.getState().expiresAt as number).toBeGreaterThan(Date.now())
  })

  it('a tick that fires far later than due validates even when an API call proved the session', async () => {
    const late: Timers = {
      setTimeout: (callback, ms) => setTimeout(callback, ms + 3 * MINUTE),
      clearTimeout: (handle) => clearTimeout(handle),
    }
    const { store, fake } = createTestStore({ timers: late })
    await store.getState().login(tokenAt(Date.now()))
    await vi.advanceTimersByTimeAsync(30_000)
    store.markSessionValid()
    await vi.advanceTimersByTimeAsync(4 * MINUTE)
    expect(fake.transport.validate).toHaveBeenCalledTimes(1)
  })

  it.each([
    { lateBy: MINUTE, validates: 0 },
    { lateBy: MINUTE + 1, validates: 1 },
  ])(
    'a tick late by $lateBy ms (one period is still on time) validates $validates times after an API call proved the session',
    async ({ lateBy, validates }) => {
      const late: Timers = {
        setTimeout: (callback, ms) => setTimeout(callback, ms + lateBy),
        clearTimeout: (handle) => clearTimeout(handle),
      }
      const { store, fake } = createTestStore({ timers: late })
      await store.getState().login(tokenAt(Date.now()))
      await vi.advanceTimersByTimeAsync(30_000)
      store.markSessionValid()
      await vi.advanceTimersByTimeAsync(MINUTE + lateBy - 30_000)
      expect(fake.transport.validate).toHaveBeenCalledTimes(validates)
    },
  )
})
