import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { activeFor, createTestStore, recordSignOuts } from '../utils/createTestStore'
import { tokenAt } from '../utils/jwt'

/**
 * The app this library was written for logged users out mid-work. Its fix, as tests: a 60-minute
 * token, a 60 s tick, a 5-minute window, sign-out only on 401.
 */
const MINUTE = 60_000
const HOUR = 60 * MINUTE

beforeEach(() => {
  vi.useFakeTimers({ now: new Date('2026-01-01T09:00:00Z') })
})
afterEach(() => {
  vi.useRealTimers()
})

describe('the original app’s scenario', () => {
  it('8 active hours: one refresh per token lifetime, the first at 55:00, no sign-out', async () => {
    const { store, fake } = createTestStore()
    const signOuts = recordSignOuts(store)
    const loginAt = Date.now()
    await store.getState().login(tokenAt(loginAt))
    const refreshedAt: number[] = []
    fake.transport.refresh.mockImplementation(async () => {
      refreshedAt.push(Date.now() - loginAt)
      return { accessToken: tokenAt(Date.now()) }
    })
    await activeFor(store, 8 * HOUR)
    expect(signOuts).toEqual([])
    expect(refreshedAt).toHaveLength(8)
    expect(refreshedAt[0]).toBe(55 * MINUTE)
    // every later refresh, one lifetime minus the window after the previous one
    refreshedAt.slice(1).forEach((at, i) => {
      expect(at - (refreshedAt[i] as number)).toBe(55 * MINUTE)
    })
    expect(store.getState().status).toBe('authenticated')
  })

  it('8 active hours with every 2nd refresh attempt failing (network): still no sign-out', async () => {
    const { store, fake } = createTestStore()
    const signOuts = recordSignOuts(store)
    await store.getState().login(tokenAt(Date.now()))
    fake.setPolicy('refresh', (call) => (call % 2 === 1 ? 'network' : 'ok'))
    await activeFor(store, 8 * HOUR)
    expect(signOuts).toEqual([])
    // each lifetime: one failure, then the retry 1 s later succeeds
    expect(fake.transport.refresh).toHaveBeenCalledTimes(16)
    expect(store.getState().expiresAt as number).toBeGreaterThan(Date.now())
  })

  it('validate answering 503 for 10 minutes: no sign-out, authenticated again afterwards', async () => {
    const { store, fake } = createTestStore()
    const signOuts = recordSignOuts(store)
    await store.getState().login(tokenAt(Date.now()))
    await activeFor(store, 5 * MINUTE)
    // Ends between two ticks: the first tick after it (the retry) finds the server back.
    const outageEnds = Date.now() + 10 * MINUTE + 30_000
    fake.setPolicy('validate', () => (Date.now() < outageEnds ? 503 : 'ok'))
    await activeFor(store, 10 * MINUTE)
    expect(store.getState().status).toBe('degraded')
    await activeFor(store, MINUTE)
    expect(store.getState()).toMatchObject({ status: 'authenticated', error: null })
    expect(signOuts).toEqual([])
  })

  it('validate answering 401 (session revoked, so the refresh token too): signed out at the next check', async () => {
    const { store, fake } = createTestStore()
    await store.getState().login(tokenAt(Date.now()))
    await activeFor(store, 10 * MINUTE)
    fake.next('validate', 401)
    fake.next('refresh', 401)
    await vi.advanceTimersByTimeAsync(MINUTE)
    expect(store.getState()).toMatchObject({
      status: 'signedOut',
      signOutReason: 'unauthorized',
      token: null,
    })
  })
})
