import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { isInvalidTokenError } from '../../src/errors/guards'
import { createTestStore, recordSignOuts } from '../utils/createTestStore'
import { createFakeTransport } from '../utils/fakeTransport'
import { makeJwt, tokenAt } from '../utils/jwt'

const MINUTE = 60_000

beforeEach(() => {
  vi.useFakeTimers({ now: new Date('2026-01-01T09:00:00Z') })
})
afterEach(() => {
  vi.useRealTimers()
})

describe('login', () => {
  it('applies a token string before it resolves, with expiry from the token', async () => {
    const { store } = createTestStore()
    await store.getState().login(tokenAt(Date.now()))
    const state = store.getState()
    expect(state.status).toBe('authenticated')
    expect(state.expiresAt).toBe(Date.now() + 60 * MINUTE)
    expect(state.lastActivityAt).toBe(Date.now())
    expect(state.signOutReason).toBeNull()
  })

  it('accepts a token set with a refresh token and a local expiresAt', async () => {
    const { store } = createTestStore()
    await store
      .getState()
      .login({ accessToken: tokenAt(0), refreshToken: 'r1', expiresAt: Date.now() + 5 })
    expect(store.getState()).toMatchObject({ refreshToken: 'r1', expiresAt: Date.now() + 5 })
  })

  it('uses transport.login for credentials', async () => {
    const login = vi.fn(async () => ({ accessToken: tokenAt(Date.now()), refreshToken: 'r0' }))
    const fake = createFakeTransport()
    const { store } = createTestStore({ transport: { ...fake.transport, login } })
    await store.getState().login({ username: 'demo', password: 'demo' })
    expect(login).toHaveBeenCalledWith({ username: 'demo', password: 'demo' })
    expect(store.getState().status).toBe('authenticated')
  })

  it.each([
    ['not a JWT', 'not-a-jwt'],
    ['a JWT without exp', makeJwt({ sub: 'x' })],
    ['a token set with a bad access token', { accessToken: 7 }],
  ])('rejects %s with InvalidTokenError and leaves the store unchanged', async (_, input) => {
    const { store } = createTestStore()
    await store.getState().login(tokenAt(Date.now()))
    const before = store.getState()
    const failure = await store
      .getState()
      .login(input)
      .catch((error: unknown) => error)
    expect(isInvalidTokenError(failure)).toBe(true)
    expect(store.getState()).toBe(before)
  })
})

describe('logout', () => {
  it('signs out with the given reason and tells the server only for a user logout', async () => {
    const { store, fake } = createTestStore()
    await store.getState().login({ accessToken: tokenAt(Date.now()), refreshToken: 'r1' })
    await store.getState().logout()
    expect(store.getState()).toMatchObject({
      status: 'signedOut',
      token: null,
      refreshToken: null,
      expiresAt: null,
      signOutReason: 'user',
    })
    expect(fake.transport.logout).toHaveBeenCalledTimes(1)
  })

  it('still signs out when the server logout fails', async () => {
    const { store, fake } = createTestStore()
    fake.transport.logout.mockRejectedValueOnce(new Error('offline'))
    await store.getState().login(tokenAt(Date.now()))
    await expect(store.getState().logout()).resolves.toBeUndefined()
    expect(store.getState().status).toBe('signedOut')
  })
})

describe('refresh', () => {
  it('is single-flight: concurrent callers share one request and one result', async () => {
    const { store, fake } = createTestStore()
    await store.getState().login({ accessToken: tokenAt(Date.now()), refreshToken: 'r1' })
    fake.holdResponses(true)
    const calls = Array.from({ length: 5 }, () => store.getState().refresh())
    expect(store.getState().status).toBe('refreshing')
    fake.holdResponses(false)
    expect(await Promise.all(calls)).toEqual([true, true, true, true, true])
    expect(fake.transport.refresh).toHaveBeenCalledTimes(1)
    expect(fake.transport.refresh).toHaveBeenCalledWith({
      accessToken: expect.any(String),
      refreshToken: 'r1',
    })
    expect(store.getState()).toMatchObject({ status: 'authenticated', refreshToken: 'r-1' })
  })

  it('starts a new request once the previous one has settled', async () => {
    const { store, fake } = createTestStore()
    await store.getState().login(tokenAt(Date.now()))
    await store.getState().refresh()
    await store.getState().refresh()
    expect(fake.transport.refresh).toHaveBeenCalledTimes(2)
  })

  it('signs out "unauthorized" on a 401 while the token was still valid', async () => {
    const { store, fake } = createTestStore()
    await store.getState().login(tokenAt(Date.now()))
    fake.next('refresh', 401)
    expect(await store.getState().refresh()).toBe(false)
    expect(store.getState()).toMatchObject({ status: 'signedOut', signOutReason: 'unauthorized' })
    expect(store.getState().error).toMatchObject({ kind: 'unauthorized', status: 401 })
  })

  it('signs out "expired" on a 401 once the token has run out', async () => {
    const { store, fake } = createTestStore({ autoStart: false })
    await store.getState().login(tokenAt(Date.now()))
    vi.setSystemTime(Date.now() + 61 * MINUTE)
    fake.next('refresh', 401)
    await store.getState().refresh()
    expect(store.getState().signOutReason).toBe('expired')
  })

  it.each([
    ['network', 'network'],
    ['timeout', 'timeout'],
    [500, 'http'],
    [503, 'http'],
    [429, 'http'],
  ] as const)(
    'keeps the session on a transient %s failure: degraded, error recorded',
    async (outcome, kind) => {
      const { store, fake } = createTestStore()
      const token = tokenAt(Date.now())
      await store.getState().login(token)
      fake.next('refresh', outcome)
      expect(await store.getState().refresh()).toBe(false)
      expect(store.getState()).toMatchObject({ status: 'degraded', token, error: { kind } })
    },
  )

  it.each([
    ['undefined', undefined],
    ['{}', {}],
    ['a number', 42],
    ['an HTML string', '<!doctype html><html></html>'],
    ['a token without exp', { accessToken: makeJwt({ sub: 'x' }) }],
  ])('treats a refresh resolving to %s as a transient, typed failure', async (_, garbage) => {
    const { store, fake } = createTestStore()
    const token = tokenAt(Date.now())
    await store.getState().login(token)
    fake.next('refresh', { resolve: garbage })
    expect(await store.getState().refresh()).toBe(false)
    const state = store.getState()
    expect(state).toMatchObject({ status: 'degraded', token })
    expect(['invalid_response', 'invalid_token']).toContain(state.error?.kind)
    expect(state.error?.message).toBeTruthy()
  })

  it('ignores a response that arrives after a logout (no resurrection)', async () => {
    const { store, fake } = createTestStore()
    await store.getState().login(tokenAt(Date.now()))
    fake.holdResponses(true)
    const pending = store.getState().refresh()
    await store.getState().logout()
    fake.holdResponses(false)
    expect(await pending).toBe(false)
    expect(store.getState()).toMatchObject({
      status: 'signedOut',
      token: null,
      signOutReason: 'user',
    })
  })

  it('ignores a 401 that arrives for a session already replaced by a new login', async () => {
    const { store, fake } = createTestStore()
    await store.getState().login(tokenAt(Date.now()))
    fake.holdResponses(true)
    fake.next('refresh', 401)
    const pending = store.getState().refresh()
    const fresh = tokenAt(Date.now())
    await store.getState().login(fresh)
    fake.holdResponses(false)
    await pending
    expect(store.getState()).toMatchObject({ status: 'authenticated', token: fresh })
  })
})

describe('validate', () => {
  it('writes nothing when the session is healthy and valid', async () => {
    const { store, fake } = createTestStore()
    await store.getState().login(tokenAt(Date.now()))
    const writes = vi.fn()
    store.subscribe(writes)
    await store.getState().validate()
    expect(fake.transport.validate).toHaveBeenCalledTimes(1)
    expect(writes).not.toHaveBeenCalled()
  })

  it('clears a degraded state on success', async () => {
    const { store, fake } = createTestStore()
    await store.getState().login(tokenAt(Date.now()))
    fake.next('validate', 503)
    await store.getState().validate()
    expect(store.getState().status).toBe('degraded')
    await store.getState().validate()
    expect(store.getState()).toMatchObject({ status: 'authenticated', error: null })
  })

  it('signs out "unauthorized" on a 401 and nothing else', async () => {
    const { store, fake } = createTestStore()
    const signOuts = recordSignOuts(store)
    await store.getState().login(tokenAt(Date.now()))
    fake.next('validate', 'network', 500, 503, 'timeout', 429, 401)
    fake.next('refresh', 401)
    for (let i = 0; i < 5; i++) await store.getState().validate()
    expect(signOuts).toEqual([])
    await store.getState().validate()
    expect(signOuts).toEqual(['unauthorized'])
  })

  it('on a 401, asks the refresh token at once: a new token keeps the session', async () => {
    const { store, fake } = createTestStore()
    const signOuts = recordSignOuts(store)
    await store.getState().login(tokenAt(Date.now()))
    const before = store.getState().token
    // The server expired the access token early (its clock, or an "expire now"), the session lives.
    fake.next('validate', 401)
    await store.getState().validate()
    expect(fake.transport.refresh).toHaveBeenCalledTimes(1)
    expect(signOuts).toEqual([])
    expect(store.getState()).toMatchObject({ status: 'authenticated' })
    expect(store.getState().token).not.toBe(before)
  })

  it('on a 401 and a refresh that fails transiently: degraded, kept, retried', async () => {
    const { store, fake } = createTestStore()
    await store.getState().login(tokenAt(Date.now()))
    fake.next('validate', 401)
    fake.next('refresh', 'network')
    await store.getState().validate()
    expect(store.getState()).toMatchObject({ status: 'degraded', error: { kind: 'network' } })
  })
})

describe('recordActivity', () => {
  it('writes at most once per tick period, and the scheduler flushes the newest time', async () => {
    const { store } = createTestStore()
    await store.getState().login(tokenAt(Date.now()))
    const loginAt = Date.now()
    const writes = vi.fn()
    store.subscribe(writes)
    for (let i = 0; i < 50; i++) {
      vi.setSystemTime(Date.now() + 1_000)
      store.getState().recordActivity()
    }
    // 50 s of mouse moves: still inside one tick period since login wrote lastActivityAt.
    expect(writes).not.toHaveBeenCalled()
    expect(store.getState().lastActivityAt).toBe(loginAt)
    vi.setSystemTime(loginAt + 60_000)
    store.getState().recordActivity()
    expect(store.getState().lastActivityAt).toBe(loginAt + 60_000)
    expect(writes).toHaveBeenCalledTimes(1)
  })

  it('does nothing while signed out', () => {
    const { store } = createTestStore()
    const before = store.getState()
    vi.setSystemTime(Date.now() + 5 * MINUTE)
    store.getState().recordActivity()
    expect(store.getState()).toBe(before)
  })
})
