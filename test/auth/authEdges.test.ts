import { describe, expect, it, vi } from 'vitest'
import { authActions, schedulerActions } from '../../src/auth/actionNames'
import { computeExpiresAt, decodeClaims, parseTokenSet } from '../../src/auth/token'
import { isInvalidResponseError, isInvalidTokenError } from '../../src/errors/guards'
import { memoryStorage } from '../../src/persistence/memoryStorage'
import type { Session } from '../../src/types'
import {
  createTestStore,
  expectActivityWrittenAfter,
  recordSignOuts,
} from '../utils/createTestStore'
import { setUpFakeDevtoolsExtension } from '../utils/fakeDevtoolsExtension'
import { createFakeEnv } from '../utils/fakeEnv'
import { createFakeTransport, errorFor } from '../utils/fakeTransport'
import { makeJwt, tokenAt } from '../utils/jwt'

const MINUTE = 60_000
const KEY = 'auth-session'
/** Where a tab without BroadcastChannel posts its messages (src/tabs/channel.ts). */
const BUS = `zustand-auth-session:${KEY}:message`
const CREDENTIALS_MESSAGE =
  'login() needs an access token or a token set (this transport has no `login` for credentials)'

const devtools = setUpFakeDevtoolsExtension({ fakeTimersFrom: new Date('2026-01-01T09:00:00Z') })

/** A JWT whose payload is the given JSON text, verbatim. */
const jwtWithPayload = (json: string) =>
  `${Buffer.from('{"alg":"HS256"}').toString('base64url')}.${Buffer.from(json).toString('base64url')}.c2ln`

/** What a rejected promise rejected with. */
const failureOf = (promise: Promise<unknown>) =>
  promise.then(
    () => undefined,
    (error: unknown) => error,
  )

/** What a call threw. */
function thrownBy(call: () => unknown): unknown {
  try {
    call()
  } catch (error) {
    return error
  }
  return undefined
}

/**
 * One tab of several: a storage shared with "other tabs" (the test), storage events as the
 * message bus (no BroadcastChannel), devtools on. `fromOtherTab` plays a message another tab
 * posted; `storeAsOtherTab` writes the shared session as another tab would, without a message.
 */
function createTab(overrides: Parameters<typeof createTestStore>[0] = {}) {
  const storage = memoryStorage()
  const browser = createFakeEnv()
  const { store, fake } = createTestStore({
    storage,
    env: browser.env,
    devtools: true,
    ...overrides,
  })
  return {
    store,
    fake,
    fromOtherTab(message: Record<string, unknown>) {
      const full = { key: KEY, from: 'other-tab', sentAt: Date.now(), ...message }
      browser.emit('storage', { key: BUS, newValue: JSON.stringify(full) })
    },
    storeAsOtherTab(state: Record<string, unknown>) {
      storage.setItem(KEY, JSON.stringify({ state, version: 1 }))
    },
  }
}

/** A transport whose calls stay open until the test settles them. */
function createManualTransport() {
  const pending: Array<{
    kind: string
    resolve: (value: unknown) => void
    reject: (error: unknown) => void
  }> = []
  const open = (kind: string) =>
    new Promise<never>((resolve, reject) => {
      pending.push({ kind, resolve: resolve as (value: unknown) => void, reject })
    })
  const transport = {
    refresh: vi.fn((_session: Session) => open('refresh')),
    validate: vi.fn((_session: Session) => open('validate')),
    logout: vi.fn(async (_session: Session) => {}),
  }
  return {
    transport,
    /** Settles the oldest open call of that kind. */
    settle(kind: string, outcome: { resolve: unknown } | { reject: unknown }) {
      const index = pending.findIndex((call) => call.kind === kind)
      const [call] = pending.splice(index, 1)
      if (!call) throw new Error(`no open ${kind} call`)
      if ('resolve' in outcome) call.resolve(outcome.resolve)
      else call.reject(outcome.reject)
    },
  }
}

/** A store (not started) on a manual transport, signed in with `token`. */
async function signedInOnManualTransport(token = tokenAt(Date.now())) {
  const manual = createManualTransport()
  const { store } = createTestStore({ transport: manual.transport, autoStart: false })
  await store.getState().login(token)
  return { manual, store, token }
}

const http = (status: number) => Object.assign(new Error(`status ${status}`), { status })

describe('action names a devtools extension sees', () => {
  it('are the documented strings', () => {
    expect(authActions).toEqual({
      login: 'auth/login',
      logout: 'auth/logout',
      refreshPending: 'auth/refresh/pending',
      refreshFulfilled: 'auth/refresh/fulfilled',
      refreshRejected: 'auth/refresh/rejected',
      validateFulfilled: 'auth/validate/fulfilled',
      validateRejected: 'auth/validate/rejected',
      activity: 'auth/activity',
      rehydrate: 'auth/rehydrate',
      storageError: 'auth/storage/error',
      adopt: 'tabs/session',
      signedOutElsewhere: 'tabs/signOut',
      remoteActivity: 'tabs/activity',
    })
    expect(schedulerActions).toEqual({ tick: 'scheduler/tick' })
  })

  it('names a session taken from another tab, and a sign-out another tab made', async () => {
    const tab = createTab()
    await tab.store.getState().login(tokenAt(Date.now()))
    const { expiresAt } = tab.store.getState()
    const newer = tokenAt(Date.now())
    tab.fromOtherTab({
      kind: 'session',
      token: newer,
      refreshToken: 'r-other',
      expiresAt: (expiresAt as number) + 1,
    })
    tab.fromOtherTab({ kind: 'signOut', reason: 'idle' })
    expect(devtools.actionTypes()).toEqual(['auth/login', 'tabs/session', 'tabs/signOut'])
    expect(tab.store.getState()).toMatchObject({ status: 'signedOut', signOutReason: 'idle' })
    // Another tab's sign-out costs no server call: that tab has told the server.
    expect(tab.fake.transport.logout).not.toHaveBeenCalled()
  })
})

describe('login', () => {
  it('rejects credentials when the transport has no login, with a message saying so', async () => {
    const { store } = createTestStore()
    const before = store.getState()
    const failure = await failureOf(store.getState().login({ username: 'demo', password: 'x' }))
    expect(isInvalidTokenError(failure)).toBe(true)
    expect((failure as Error).message).toBe(CREDENTIALS_MESSAGE)
    expect(store.getState()).toBe(before)
  })

  it.each([
    ['null', null],
    ['a number', 42],
  ])('treats %s as credentials, not as a token set', async (_, input) => {
    const { store } = createTestStore()
    const failure = await failureOf(store.getState().login(input))
    expect(isInvalidTokenError(failure)).toBe(true)
    expect((failure as Error).message).toBe(CREDENTIALS_MESSAGE)
  })

  it('uses a token set as it is, without asking transport.login', async () => {
    const fake = createFakeTransport()
    const login = vi.fn(async () => ({ accessToken: tokenAt(Date.now()) }))
    const { store } = createTestStore({ transport: { ...fake.transport, login } })
    const accessToken = tokenAt(Date.now())
    await store.getState().login({ accessToken, refreshToken: 'r0' })
    expect(login).not.toHaveBeenCalled()
    expect(store.getState()).toMatchObject({ token: accessToken, refreshToken: 'r0' })
  })

  it('blames the caller (InvalidTokenError) for a bad token set it handed in, keeping the cause', async () => {
    const { store } = createTestStore()
    const failure = await failureOf(store.getState().login({ accessToken: 7 }))
    expect(isInvalidTokenError(failure)).toBe(true)
    expect((failure as Error).message).toBe('The token set has no `accessToken` string')
    expect(isInvalidResponseError((failure as Error).cause)).toBe(true)
  })

  it('blames the server (InvalidResponseError) for a bad token set transport.login resolved with', async () => {
    const fake = createFakeTransport()
    const login = vi.fn(async () => ({}) as never)
    const { store } = createTestStore({ transport: { ...fake.transport, login } })
    const failure = await failureOf(store.getState().login({ username: 'demo' }))
    expect(isInvalidResponseError(failure)).toBe(true)
    expect(isInvalidTokenError(failure)).toBe(false)
    expect(store.getState().status).toBe('signedOut')
  })

  it('starts clean: no refresh token from a token string, no old error, no old sign-out reason', async () => {
    const { store, fake } = createTestStore()
    await store.getState().login({ accessToken: tokenAt(Date.now()), refreshToken: 'r0' })
    fake.next('refresh', 401)
    await store.getState().refresh()
    expect(store.getState()).toMatchObject({
      signOutReason: 'unauthorized',
      error: { kind: 'unauthorized' },
    })
    vi.setSystemTime(Date.now() + 5 * MINUTE)
    await store.getState().login(tokenAt(Date.now()))
    expect(store.getState()).toMatchObject({
      status: 'authenticated',
      refreshToken: null,
      signOutReason: null,
      error: null,
      lastActivityAt: Date.now(),
    })
  })
})

describe('logout', () => {
  it('sends the server the session it ends, refresh token included', async () => {
    const { store, fake } = createTestStore()
    const accessToken = tokenAt(Date.now())
    await store.getState().login({ accessToken, refreshToken: 'r0' })
    await store.getState().logout()
    expect(fake.transport.logout).toHaveBeenCalledWith({ accessToken, refreshToken: 'r0' })
  })

  it('sends only the access token when there is no refresh token', async () => {
    const { store, fake } = createTestStore()
    const accessToken = tokenAt(Date.now())
    await store.getState().login(accessToken)
    await store.getState().logout()
    expect(fake.transport.logout).toHaveBeenCalledWith({ accessToken })
  })

  it('tells the server nothing for a sign-out that is not the user’s', async () => {
    const { store, fake } = createTestStore()
    await store.getState().login(tokenAt(Date.now()))
    await store.getState().logout('idle')
    expect(store.getState()).toMatchObject({ status: 'signedOut', signOutReason: 'idle' })
    expect(fake.transport.logout).not.toHaveBeenCalled()
  })

  it('works with a transport that has no logout', async () => {
    const fake = createFakeTransport()
    const { store } = createTestStore({ transport: { refresh: fake.transport.refresh } })
    await store.getState().login(tokenAt(Date.now()))
    await expect(store.getState().logout()).resolves.toBeUndefined()
    expect(store.getState().status).toBe('signedOut')
  })

  it('does nothing once signed out: the first reason stays, no write, no server call', async () => {
    const { store, fake } = createTestStore({ devtools: true })
    await store.getState().login(tokenAt(Date.now()))
    await store.getState().logout('idle')
    const before = store.getState()
    const sent = devtools.sent.length
    await store.getState().logout()
    expect(store.getState()).toBe(before)
    expect(store.getState().signOutReason).toBe('idle')
    expect(devtools.sent).toHaveLength(sent)
    expect(fake.transport.logout).not.toHaveBeenCalled()
  })

  it('clears an error and keeps the last activity time', async () => {
    const { store, fake } = createTestStore()
    await store.getState().login(tokenAt(Date.now()))
    const loginAt = Date.now()
    fake.next('refresh', 'network')
    await store.getState().refresh()
    expect(store.getState().error).not.toBeNull()
    vi.setSystemTime(Date.now() + 30_000)
    await store.getState().logout()
    expect(store.getState()).toMatchObject({ error: null, lastActivityAt: loginAt })
  })
})

describe('refresh', () => {
  it('resolves false and sends nothing while signed out', async () => {
    const { store, fake } = createTestStore({ devtools: true })
    await expect(store.getState().refresh()).resolves.toBe(false)
    expect(fake.transport.refresh).not.toHaveBeenCalled()
    expect(devtools.actionTypes()).toEqual([])
  })

  it('takes the new expiry from when the response arrived, and clears a previous error', async () => {
    const { store, fake } = createTestStore({ autoStart: false })
    await store.getState().login({ accessToken: tokenAt(Date.now()), refreshToken: 'r0' })
    fake.next('refresh', 'network')
    await store.getState().refresh()
    vi.setSystemTime(Date.now() + 10 * MINUTE)
    await expect(store.getState().refresh()).resolves.toBe(true)
    expect(store.getState()).toMatchObject({
      status: 'authenticated',
      error: null,
      refreshToken: 'r-1',
      expiresAt: Date.now() + 60 * MINUTE,
    })
  })

  it('signs out "unauthorized" on a 401 one millisecond before expiry, "expired" at it', async () => {
    for (const [offset, reason] of [
      [-1, 'unauthorized'],
      [0, 'expired'],
    ] as const) {
      const { store, fake } = createTestStore({ autoStart: false })
      const expiresAt = Date.now() + 10 * MINUTE
      await store.getState().login({ accessToken: tokenAt(Date.now()), expiresAt })
      vi.setSystemTime(expiresAt + offset)
      fake.next('refresh', 401)
      await store.getState().refresh()
      expect(store.getState().signOutReason).toBe(reason)
      vi.setSystemTime(new Date('2026-01-01T09:00:00Z'))
    }
  })

  it('signs out "user" without a request when another tab has signed out (shared storage)', async () => {
    const tab = createTab()
    const signOuts = recordSignOuts(tab.store)
    await tab.store.getState().login({ accessToken: tokenAt(Date.now()), refreshToken: 'r0' })
    const refreshing = tab.store.getState().refresh()
    // Another tab signs out while this one waits for the refresh lock.
    tab.storeAsOtherTab({ token: null, refreshToken: null, expiresAt: null, lastActivityAt: 0 })
    await expect(refreshing).resolves.toBe(false)
    expect(tab.fake.transport.refresh).not.toHaveBeenCalled()
    expect(tab.fake.transport.logout).not.toHaveBeenCalled()
    expect(signOuts).toEqual(['user'])
    expect(tab.store.getState()).toMatchObject({ status: 'signedOut', error: null, token: null })
    expect(devtools.actionTypes()).toEqual([
      'auth/login',
      'auth/refresh/pending',
      'auth/refresh/rejected',
    ])
  })

  it('takes the newer session another tab stored instead of asking the server', async () => {
    const tab = createTab()
    await tab.store.getState().login({ accessToken: tokenAt(Date.now()), refreshToken: 'r0' })
    const newer = {
      token: tokenAt(Date.now()),
      refreshToken: 'r-other',
      expiresAt: (tab.store.getState().expiresAt as number) + 1_000,
    }
    const refreshing = tab.store.getState().refresh()
    // Another tab refreshed while this one waited for the refresh lock.
    tab.storeAsOtherTab({ ...newer, lastActivityAt: Date.now() })
    await expect(refreshing).resolves.toBe(true)
    expect(tab.fake.transport.refresh).not.toHaveBeenCalled()
    expect(tab.store.getState()).toMatchObject({ ...newer, status: 'authenticated' })
    expect(devtools.actionTypes().at(-1)).toBe('auth/refresh/fulfilled')
  })

  it('keeps a session another tab broadcast while its own request was in flight', async () => {
    const tab = createTab()
    await tab.store.getState().login({ accessToken: tokenAt(Date.now()), refreshToken: 'r0' })
    tab.fake.holdResponses(true)
    const pending = tab.store.getState().refresh()
    await vi.advanceTimersByTimeAsync(0)
    const newer = tokenAt(Date.now())
    const expiresAt = (tab.store.getState().expiresAt as number) + 1_000
    tab.fromOtherTab({ kind: 'session', token: newer, refreshToken: 'r-other', expiresAt })
    tab.fake.holdResponses(false)
    await expect(pending).resolves.toBe(true)
    expect(tab.fake.transport.refresh).toHaveBeenCalledTimes(1)
    expect(tab.store.getState()).toMatchObject({
      token: newer,
      refreshToken: 'r-other',
      expiresAt,
      status: 'authenticated',
    })
  })

  it('ignores a 401 for a token another tab has already replaced', async () => {
    const tab = createTab()
    const signOuts = recordSignOuts(tab.store)
    await tab.store.getState().login(tokenAt(Date.now()))
    tab.fake.holdResponses(true)
    tab.fake.next('refresh', 401)
    const pending = tab.store.getState().refresh()
    await vi.advanceTimersByTimeAsync(0)
    const newer = tokenAt(Date.now())
    tab.fromOtherTab({
      kind: 'session',
      token: newer,
      refreshToken: null,
      expiresAt: (tab.store.getState().expiresAt as number) + 1_000,
    })
    tab.fake.holdResponses(false)
    await expect(pending).resolves.toBe(false)
    expect(signOuts).toEqual([])
    expect(tab.store.getState()).toMatchObject({ status: 'authenticated', token: newer })
  })

  it('ignores a response for a session that ended, even when the next one has the same token', async () => {
    const { store, fake } = createTestStore()
    const token = tokenAt(Date.now())
    await store.getState().login(token)
    fake.holdResponses(true)
    const pending = store.getState().refresh()
    await store.getState().logout()
    await store.getState().login(token)
    fake.holdResponses(false)
    await expect(pending).resolves.toBe(false)
    expect(store.getState()).toMatchObject({ status: 'authenticated', token })
  })

  it('never has two requests in flight: a new session’s refresh waits for the old one', async () => {
    const { store, fake } = createTestStore()
    await store.getState().login(tokenAt(Date.now()))
    fake.holdResponses(true)
    const old = store.getState().refresh()
    await store.getState().logout()
    await store.getState().login(tokenAt(Date.now()))
    const next = store.getState().refresh()
    await vi.advanceTimersByTimeAsync(0)
    expect(fake.transport.refresh).toHaveBeenCalledTimes(1)
    fake.holdResponses(false)
    await expect(old).resolves.toBe(false)
    await expect(next).resolves.toBe(true)
    expect(fake.transport.refresh).toHaveBeenCalledTimes(2)
    expect(store.getState().token).toBe(fake.issued[1])
  })

  it('the new session’s request, started once the old one settled, is joined by the next refresh()', async () => {
    const { manual, store } = await signedInOnManualTransport()
    const old = store.getState().refresh()
    await store.getState().logout()
    await store.getState().login(tokenAt(Date.now()))
    const next = store.getState().refresh()
    manual.settle('refresh', { resolve: tokenAt(Date.now()) })
    await expect(old).resolves.toBe(false)
    expect(manual.transport.refresh).toHaveBeenCalledTimes(2)
    const joined = store.getState().refresh()
    await vi.advanceTimersByTimeAsync(0)
    expect(manual.transport.refresh).toHaveBeenCalledTimes(2)
    const token = tokenAt(Date.now())
    manual.settle('refresh', { resolve: token })
    await expect(next).resolves.toBe(true)
    await expect(joined).resolves.toBe(true)
    expect(store.getState().token).toBe(token)
  })
})

describe('validate', () => {
  it('does nothing with a transport that cannot validate', async () => {
    const fake = createFakeTransport()
    const { store } = createTestStore({ transport: { refresh: fake.transport.refresh } })
    await store.getState().login(tokenAt(Date.now()))
    const before = store.getState()
    await store.getState().validate()
    expect(store.getState()).toBe(before)
  })

  it('sends nothing while signed out', async () => {
    const { store, fake } = createTestStore()
    await store.getState().validate()
    expect(fake.transport.validate).not.toHaveBeenCalled()
  })

  it('sends nothing while a refresh is in flight', async () => {
    const { store, fake } = createTestStore()
    await store.getState().login(tokenAt(Date.now()))
    fake.holdResponses(true)
    const refreshing = store.getState().refresh()
    await store.getState().validate()
    expect(fake.transport.validate).not.toHaveBeenCalled()
    fake.holdResponses(false)
    await refreshing
  })

  describe('answered while a refresh that began after it is still in flight', () => {
    /** A transport whose validation the test answers, and whose refresh stays open until told. */
    const withOpenCalls = () => {
      const fake = createFakeTransport()
      const calls = {
        validate: [] as Array<{ resolve: () => void; reject: (error: Error) => void }>,
        releaseRefresh: () => {},
      }
      const refreshGate = new Promise<void>((resolve) => {
        calls.releaseRefresh = resolve
      })
      const transport = {
        validate: () =>
          new Promise<void>((resolve, reject) => calls.validate.push({ resolve, reject })),
        refresh: async (session: Session) => {
          await refreshGate
          return fake.transport.refresh(session)
        },
      }
      return { ...createTestStore({ transport, autoStart: false }), calls }
    }

    it.each([
      ['a success', (call: { resolve: () => void }) => call.resolve()],
      [
        'a network failure',
        (call: { reject: (error: Error) => void }) => call.reject(errorFor('network')),
      ],
    ])('%s leaves the status "refreshing": the refresh decides', async (_, answer) => {
      const { store, calls } = withOpenCalls()
      await store.getState().login(tokenAt(Date.now()))
      const validating = store.getState().validate()
      const refreshing = store.getState().refresh()
      expect(store.getState().status).toBe('refreshing')

      answer(calls.validate[0] as never)
      await validating
      expect(store.getState()).toMatchObject({ status: 'refreshing', error: null })

      calls.releaseRefresh()
      await refreshing
      expect(store.getState()).toMatchObject({ status: 'authenticated', error: null })
    })
  })

  it('concurrent callers share one request', async () => {
    const { store, fake } = createTestStore()
    await store.getState().login(tokenAt(Date.now()))
    await Promise.all([store.getState().validate(), store.getState().validate()])
    expect(fake.transport.validate).toHaveBeenCalledTimes(1)
  })

  it('names a transient failure "validate/rejected" and keeps the session', async () => {
    const { store, fake } = createTestStore({ devtools: true })
    const token = tokenAt(Date.now())
    await store.getState().login(token)
    fake.next('validate', 'network')
    await store.getState().validate()
    expect(store.getState()).toMatchObject({
      status: 'degraded',
      token,
      error: { kind: 'network' },
    })
    await store.getState().validate()
    expect(store.getState()).toMatchObject({ status: 'authenticated', error: null })
    expect(devtools.actionTypes()).toEqual([
      'auth/login',
      'auth/validate/rejected',
      'auth/validate/fulfilled',
    ])
  })

  it('clears an error kept while still authenticated (a storage failure)', async () => {
    const items = memoryStorage()
    let broken = false
    const storage = {
      ...items,
      setItem: (name: string, value: string) => {
        if (broken) throw new Error('QuotaExceededError')
        items.setItem(name, value)
      },
    }
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined)
    const { store } = createTestStore({ storage, autoStart: false })
    await store.getState().login(tokenAt(Date.now()))
    broken = true
    // The failed write is reported with a later change (the one after it, at the latest).
    for (let i = 0; i < 2; i++) {
      vi.setSystemTime(Date.now() + MINUTE)
      store.getState().recordActivity()
    }
    await vi.advanceTimersByTimeAsync(0)
    expect(store.getState()).toMatchObject({ status: 'authenticated', error: { kind: 'storage' } })
    await store.getState().validate()
    expect(store.getState()).toMatchObject({ status: 'authenticated', error: null })
    warn.mockRestore()
  })

  it('ignores a failure that arrives after the token changed (same session)', async () => {
    const { manual, store } = await signedInOnManualTransport()
    const validating = store.getState().validate()
    const refreshing = store.getState().refresh()
    const fresh = tokenAt(Date.now())
    manual.settle('refresh', { resolve: { accessToken: fresh } })
    await expect(refreshing).resolves.toBe(true)
    manual.settle('validate', { reject: http(503) })
    await validating
    expect(store.getState()).toMatchObject({ status: 'authenticated', token: fresh, error: null })
  })

  it('ignores a 401 for a session that ended, even when the next one has the same token', async () => {
    const { manual, store, token } = await signedInOnManualTransport()
    const validating = store.getState().validate()
    await store.getState().logout()
    await store.getState().login(token)
    manual.settle('validate', { reject: http(401) })
    await validating
    expect(manual.transport.refresh).not.toHaveBeenCalled()
    expect(store.getState()).toMatchObject({ status: 'authenticated', token })
  })

  it('ignores a success that arrives after a logout', async () => {
    const { manual, store } = await signedInOnManualTransport()
    const validating = store.getState().validate()
    await store.getState().logout()
    const after = store.getState()
    manual.settle('validate', { resolve: undefined })
    await validating
    expect(store.getState()).toBe(after)
  })
})

describe('recordActivity and the idle timeout', () => {
  it('signs out "idle" at exactly the timeout, not a millisecond before, and tells the server nothing', async () => {
    const { store, fake } = createTestStore({ autoStart: false, idleTimeoutMs: 10 * MINUTE })
    await store.getState().login(tokenAt(Date.now()))
    const loginAt = Date.now()
    vi.setSystemTime(loginAt + 10 * MINUTE - 1)
    store.getState().recordActivity()
    expect(store.getState()).toMatchObject({
      status: 'authenticated',
      lastActivityAt: loginAt + 10 * MINUTE - 1,
    })
    vi.setSystemTime(loginAt + 20 * MINUTE - 1)
    store.getState().recordActivity()
    expect(store.getState()).toMatchObject({ status: 'signedOut', signOutReason: 'idle' })
    expect(fake.transport.logout).not.toHaveBeenCalled()
  })

  it('writes at the throttle period, not a millisecond before', async () => {
    const { store } = createTestStore({ autoStart: false, activityThrottleMs: 10_000 })
    await store.getState().login(tokenAt(Date.now()))
    expectActivityWrittenAfter(store, 10_000)
  })

  it('a tick writes the newest activity that was held back, once', async () => {
    const { store } = createTestStore({ devtools: true })
    await store.getState().login(tokenAt(Date.now()))
    const loginAt = Date.now()
    await vi.advanceTimersByTimeAsync(10_000)
    store.getState().recordActivity()
    await vi.advanceTimersByTimeAsync(10_000)
    store.getState().recordActivity()
    expect(store.getState().lastActivityAt).toBe(loginAt)
    await vi.advanceTimersByTimeAsync(MINUTE - 20_000)
    expect(store.getState().lastActivityAt).toBe(loginAt + 20_000)
    await vi.advanceTimersByTimeAsync(2 * MINUTE)
    expect(devtools.actionTypes().filter((type) => type === 'auth/activity')).toHaveLength(1)
  })

  it('a clock that steps back does not make the newest activity older', async () => {
    const { store } = createTestStore({ autoStart: false })
    await store.getState().login(tokenAt(Date.now()))
    const loginAt = Date.now()
    vi.setSystemTime(loginAt + 30_000)
    store.getState().recordActivity()
    vi.setSystemTime(loginAt + 20_000)
    store.getState().recordActivity()
    await store.scheduler.tickNow()
    expect(store.getState().lastActivityAt).toBe(loginAt + 30_000)
  })
})

describe('activity reported by other tabs', () => {
  it('is written at once when a throttle period newer, held back a millisecond earlier', async () => {
    const tab = createTab({ autoStart: false })
    await tab.store.getState().login(tokenAt(Date.now()))
    const loginAt = Date.now()
    vi.setSystemTime(loginAt + MINUTE - 1)
    tab.fromOtherTab({ kind: 'activity', at: loginAt + MINUTE - 1 })
    expect(tab.store.getState().lastActivityAt).toBe(loginAt)
    vi.setSystemTime(loginAt + MINUTE)
    tab.fromOtherTab({ kind: 'activity', at: loginAt + MINUTE })
    expect(tab.store.getState().lastActivityAt).toBe(loginAt + MINUTE)
    expect(devtools.actionTypes()).toEqual(['auth/login', 'tabs/activity'])
  })

  it('held back, is written by the next tick (as remote activity), once; a late older report changes nothing', async () => {
    const tab = createTab()
    await tab.store.getState().login(tokenAt(Date.now()))
    const loginAt = Date.now()
    await vi.advanceTimersByTimeAsync(40_000)
    tab.fromOtherTab({ kind: 'activity', at: loginAt + 40_000 })
    tab.fromOtherTab({ kind: 'activity', at: loginAt + 20_000 })
    expect(tab.store.getState().lastActivityAt).toBe(loginAt)
    await vi.advanceTimersByTimeAsync(MINUTE - 40_000)
    expect(tab.store.getState().lastActivityAt).toBe(loginAt + 40_000)
    await vi.advanceTimersByTimeAsync(2 * MINUTE)
    expect(devtools.actionTypes().filter((type) => type.endsWith('/activity'))).toEqual([
      'tabs/activity',
    ])
  })

  it('counts as activity up to one tick later than reported, for the idle timeout', async () => {
    const tab = createTab({ autoStart: false, idleTimeoutMs: 10 * MINUTE })
    await tab.store.getState().login(tokenAt(Date.now()))
    const loginAt = Date.now()
    vi.setSystemTime(loginAt + 2 * MINUTE)
    tab.fromOtherTab({ kind: 'activity', at: loginAt + 2 * MINUTE })
    // idle from (2 min + one 1-minute tick) + 10 min
    vi.setSystemTime(loginAt + 13 * MINUTE - 1)
    await tab.store.scheduler.tickNow()
    expect(tab.store.getState().status).toBe('authenticated')
    vi.setSystemTime(loginAt + 13 * MINUTE)
    await tab.store.scheduler.tickNow()
    expect(tab.store.getState()).toMatchObject({ status: 'signedOut', signOutReason: 'idle' })
  })

  it('from an earlier session does not count for the next one', async () => {
    const tab = createTab({ autoStart: false, idleTimeoutMs: 10 * MINUTE })
    await tab.store.getState().login(tokenAt(Date.now()))
    const start = Date.now()
    vi.setSystemTime(start + 5 * MINUTE)
    tab.fromOtherTab({ kind: 'activity', at: start + 5 * MINUTE })
    vi.setSystemTime(start + 5 * MINUTE + 1_000)
    await tab.store.getState().logout()
    await tab.store.getState().login(tokenAt(Date.now()))
    vi.setSystemTime(start + 15 * MINUTE + 1_000)
    await tab.store.scheduler.tickNow()
    expect(tab.store.getState()).toMatchObject({ status: 'signedOut', signOutReason: 'idle' })
  })
})

describe('a session another tab broadcast', () => {
  const signedInTab = async () => {
    const tab = createTab({ autoStart: false })
    await tab.store.getState().login({ accessToken: tokenAt(Date.now()), refreshToken: 'r0' })
    return { ...tab, expiresAt: tab.store.getState().expiresAt as number }
  }

  it('is taken when it expires at the same time as ours, and clears a degraded state', async () => {
    const tab = await signedInTab()
    const loginAt = Date.now()
    tab.fake.next('validate', 503)
    await tab.store.getState().validate()
    vi.setSystemTime(loginAt + 5_000)
    const token = tokenAt(Date.now())
    tab.fromOtherTab({ kind: 'session', token, refreshToken: null, expiresAt: tab.expiresAt })
    expect(tab.store.getState()).toMatchObject({
      token,
      refreshToken: null,
      expiresAt: tab.expiresAt,
      status: 'authenticated',
      error: null,
      lastActivityAt: loginAt,
    })
  })

  it('is ignored when it expires before ours (a late message)', async () => {
    const tab = await signedInTab()
    const before = tab.store.getState()
    tab.fromOtherTab({
      kind: 'session',
      token: tokenAt(Date.now()),
      refreshToken: null,
      expiresAt: tab.expiresAt - 1,
    })
    expect(tab.store.getState()).toBe(before)
  })

  it('is ignored when it carries our own token', async () => {
    const tab = await signedInTab()
    const before = tab.store.getState()
    tab.fromOtherTab({
      kind: 'session',
      token: before.token,
      refreshToken: 'r-other',
      expiresAt: tab.expiresAt + MINUTE,
    })
    expect(tab.store.getState()).toBe(before)
  })

  it('signs this tab in when signed out, as a new session with its own idle clock', async () => {
    const tab = createTab({ autoStart: false, idleTimeoutMs: 10 * MINUTE })
    await tab.store.getState().login(tokenAt(Date.now()))
    await tab.store.getState().logout()
    vi.setSystemTime(Date.now() + 30 * MINUTE)
    const token = tokenAt(Date.now())
    const expiresAt = Date.now() + 60 * MINUTE
    tab.fromOtherTab({ kind: 'session', token, refreshToken: 'r-other', expiresAt })
    expect(tab.store.getState()).toMatchObject({
      status: 'authenticated',
      token,
      signOutReason: null,
      lastActivityAt: Date.now(),
    })
    vi.setSystemTime(Date.now() + 10 * MINUTE - 1)
    await tab.store.scheduler.tickNow()
    expect(tab.store.getState().status).toBe('authenticated')
  })

  it('is taken when signed out whatever its expiry: there is no token of ours it could be older than', () => {
    const tab = createTab({ autoStart: false })
    const token = tokenAt(Date.now())
    // Even an expiry before 1970 on this clock (negative): nothing to compare it with.
    tab.fromOtherTab({ kind: 'session', token, refreshToken: null, expiresAt: -1 })
    expect(tab.store.getState()).toMatchObject({ status: 'authenticated', token, expiresAt: -1 })
  })

  it('signs this tab in while the ended session’s refresh is in flight: refresh() asks for the new session', async () => {
    const manual = createManualTransport()
    const tab = createTab({ transport: manual.transport, autoStart: false })
    await tab.store.getState().login(tokenAt(Date.now()))
    const old = tab.store.getState().refresh()
    await vi.advanceTimersByTimeAsync(0)
    expect(manual.transport.refresh).toHaveBeenCalledTimes(1)
    tab.fromOtherTab({ kind: 'signOut', reason: 'user' })
    vi.setSystemTime(Date.now() + 1_000)
    const token = tokenAt(Date.now())
    const expiresAt = Date.now() + 60 * MINUTE
    tab.fromOtherTab({ kind: 'session', token, refreshToken: 'r-other', expiresAt })
    const next = tab.store.getState().refresh()
    manual.settle('refresh', { resolve: tokenAt(Date.now()) })
    await expect(old).resolves.toBe(false)
    await vi.advanceTimersByTimeAsync(0)
    expect(manual.transport.refresh).toHaveBeenCalledTimes(2)
    expect(manual.transport.refresh).toHaveBeenLastCalledWith({
      accessToken: token,
      refreshToken: 'r-other',
    })
    const refreshed = tokenAt(Date.now())
    manual.settle('refresh', { resolve: refreshed })
    await expect(next).resolves.toBe(true)
    expect(tab.store.getState().token).toBe(refreshed)
  })
})

describe('token checks: the messages a caller can read', () => {
  it.each([
    ['an empty string', '', 'The access token must be a non-empty string'],
    ['a number', 42, 'The access token must be a non-empty string'],
    [
      'text without dots',
      'not-a-jwt',
      'The access token is not a JWT: Invalid token specified: missing part #2',
    ],
    [
      'a payload that is a number',
      jwtWithPayload('5'),
      'The access token payload is not a JSON object',
    ],
    ['a null payload', jwtWithPayload('null'), 'The access token payload is not a JSON object'],
    ['an array payload', jwtWithPayload('[1]'), 'The access token payload is not a JSON object'],
    [
      'an infinite exp',
      jwtWithPayload('{"exp":1e400}'),
      'The access token has no valid `exp` claim',
    ],
  ])('decodeClaims rejects %s', (_, token, message) => {
    const error = thrownBy(() => decodeClaims(token))
    expect(isInvalidTokenError(error)).toBe(true)
    expect((error as Error).message).toBe(message)
  })

  it('keeps jwt-decode’s error as the cause', () => {
    const error = thrownBy(() => decodeClaims('not-a-jwt')) as Error
    expect((error.cause as Error).name).toBe('InvalidTokenError')
    expect((error.cause as Error).message).toBe('Invalid token specified: missing part #2')
  })

  it.each([
    ['exp 1', { exp: 1 }, { exp: 1 }],
    ['iat 1', { exp: 100, iat: 1 }, { exp: 100, iat: 1 }],
    ['iat 0', { exp: 100, iat: 0 }, { exp: 100 }],
    ['iat equal to exp', { exp: 100, iat: 100 }, { exp: 100 }],
    ['iat one below exp', { exp: 100, iat: 99 }, { exp: 100, iat: 99 }],
    ['a string iat', { exp: 100, iat: '50' }, { exp: 100 }],
  ])('decodeClaims: %s', (_, claims, expected) => {
    expect(decodeClaims(makeJwt(claims))).toEqual(expected)
  })

  it('computeExpiresAt checks the token even when the token set has its own expiry', () => {
    expect(
      isInvalidTokenError(thrownBy(() => computeExpiresAt({ accessToken: 'x', expiresAt: 5 }, 0))),
    ).toBe(true)
    expect(computeExpiresAt({ accessToken: makeJwt({ exp: 100 }), expiresAt: 0 }, 7)).toBe(0)
  })

  it.each([
    ['null', null, 'Expected a token set, got null'],
    ['an array', [], 'Expected a token set, got an array'],
    ['undefined', undefined, 'Expected a token set, got nothing'],
    ['a number', 42, 'Expected a token set, got a number'],
    ['a boolean', true, 'Expected a token set, got a boolean'],
    ['an empty access token', { accessToken: '' }, 'The token set has no `accessToken` string'],
    [
      'a numeric refresh token',
      { accessToken: 'a', refreshToken: 7 },
      'The token set has a `refreshToken` that is not a string',
    ],
    [
      'a NaN expiresAt',
      { accessToken: 'a', expiresAt: Number.NaN },
      'The token set has an `expiresAt` that is not a number',
    ],
    [
      'a string expiresAt',
      { accessToken: 'a', expiresAt: '5' },
      'The token set has an `expiresAt` that is not a number',
    ],
  ])('parseTokenSet rejects %s with its own message', (_, value, message) => {
    const error = thrownBy(() => parseTokenSet(value))
    expect(isInvalidResponseError(error)).toBe(true)
    expect((error as Error).message).toBe(message)
  })

  it('parseTokenSet takes a bare string as the access token and keeps good fields', () => {
    expect(parseTokenSet('abc')).toEqual({ accessToken: 'abc' })
    expect(parseTokenSet({ accessToken: 'a', refreshToken: 'r', expiresAt: 0 })).toEqual({
      accessToken: 'a',
      refreshToken: 'r',
      expiresAt: 0,
    })
    expect(parseTokenSet({ accessToken: 'a', refreshToken: null, expiresAt: null })).toEqual({
      accessToken: 'a',
    })
  })

  it('the store reports a refresh that resolved with nothing by its message', async () => {
    const { store, fake } = createTestStore()
    await store.getState().login(tokenAt(Date.now()))
    fake.next('refresh', { resolve: undefined })
    await store.getState().refresh()
    expect(store.getState().error).toEqual({
      kind: 'invalid_response',
      message: 'Expected a token set, got nothing',
    })
  })
})
