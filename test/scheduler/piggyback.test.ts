import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { memoryStorage } from '../../src/persistence/memoryStorage'
import { createTestStore } from '../utils/createTestStore'
import { createFakeEnv } from '../utils/fakeEnv'
import { tokenAt } from '../utils/jwt'

const MINUTE = 60_000
/** Where a tab without BroadcastChannel posts its messages (src/tabs/channel.ts). */
const BUS = 'zustand-auth-session:auth-session:message'

beforeEach(() => {
  vi.useFakeTimers({ now: new Date('2026-01-01T09:00:00Z') })
})
afterEach(() => {
  vi.useRealTimers()
})

describe('store.markSessionValid()', () => {
  it('skips the next tick’s validate(), and only that one', async () => {
    const { store, fake } = createTestStore()
    await store.getState().login(tokenAt(Date.now()))
    await vi.advanceTimersByTimeAsync(MINUTE)
    expect(fake.transport.validate).toHaveBeenCalledTimes(1)

    await vi.advanceTimersByTimeAsync(MINUTE - 1)
    store.markSessionValid()
    await vi.advanceTimersByTimeAsync(1)
    expect(fake.transport.validate).toHaveBeenCalledTimes(1)

    await vi.advanceTimersByTimeAsync(MINUTE)
    expect(fake.transport.validate).toHaveBeenCalledTimes(2)
  })

  it('with validateEveryTick, stands in for nothing', async () => {
    const { store, fake } = createTestStore({ validateEveryTick: true })
    await store.getState().login(tokenAt(Date.now()))
    await vi.advanceTimersByTimeAsync(MINUTE - 1)
    store.markSessionValid()
    await vi.advanceTimersByTimeAsync(1)
    expect(fake.transport.validate).toHaveBeenCalledTimes(1)
  })

  it('a mark from before the last tick does not count', async () => {
    const { store, fake } = createTestStore()
    await store.getState().login(tokenAt(Date.now()))
    await vi.advanceTimersByTimeAsync(MINUTE - 1)
    store.markSessionValid()
    await vi.advanceTimersByTimeAsync(1) // this tick is skipped
    await vi.advanceTimersByTimeAsync(MINUTE) // this one is not
    expect(fake.transport.validate).toHaveBeenCalledTimes(1)
  })

  it('does nothing while signed out: no stand-in for the first check of a session another tab begins', async () => {
    const browser = createFakeEnv()
    const { store, fake } = createTestStore({ storage: memoryStorage(), env: browser.env })
    store.markSessionValid()
    // The clock steps back (an NTP correction) before another tab signs the user in.
    vi.setSystemTime(Date.now() - 10 * MINUTE)
    const session = {
      key: 'auth-session',
      from: 'other-tab',
      sentAt: Date.now(),
      kind: 'session',
      token: tokenAt(Date.now()),
      refreshToken: null,
      expiresAt: Date.now() + 60 * MINUTE,
    }
    browser.emit('storage', { key: BUS, newValue: JSON.stringify(session) })
    expect(store.getState().status).toBe('authenticated')
    await vi.advanceTimersByTimeAsync(MINUTE)
    expect(fake.transport.validate).toHaveBeenCalledTimes(1)
  })

  it('does not stand in for the check after a failure', async () => {
    const { store, fake } = createTestStore()
    await store.getState().login(tokenAt(Date.now()))
    fake.next('validate', 503)
    await vi.advanceTimersByTimeAsync(MINUTE)
    expect(store.getState().status).toBe('degraded')
    await vi.advanceTimersByTimeAsync(30_000)
    store.markSessionValid()
    await vi.advanceTimersByTimeAsync(30_000) // the retry: the next tick, as the token is not due
    expect(fake.transport.validate).toHaveBeenCalledTimes(2)
    expect(store.getState().status).toBe('authenticated')
  })
})
