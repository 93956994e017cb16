import { describe, expect, it, vi } from 'vitest'
import { authActions } from '../../src/auth/actionNames'
import { createAuthStore } from '../../src/createAuthStore'
import { headlessEnv } from '../../src/env/browser'
import { memoryStorage } from '../../src/persistence/memoryStorage'
import { createTestStore } from '../utils/createTestStore'
import { setUpFakeDevtoolsExtension } from '../utils/fakeDevtoolsExtension'
import { createFakeTransport } from '../utils/fakeTransport'
import { tokenAt } from '../utils/jwt'

const MINUTE = 60_000
const devtools = setUpFakeDevtoolsExtension({ fakeTimersFrom: new Date('2026-01-01T09:00:00Z') })

describe('devtools', () => {
  it('sends nothing for quiet, healthy ticks: a validation that changes nothing is not an action', async () => {
    const { store, fake } = createTestStore({ devtools: true })
    await store.getState().login(tokenAt(Date.now()))
    await vi.advanceTimersByTimeAsync(3 * MINUTE)
    expect(fake.transport.validate).toHaveBeenCalledTimes(3)
    expect(devtools.actionTypes()).toEqual([authActions.login])
  })

  it('names every state change of a session’s life', async () => {
    const { store, fake } = createTestStore({ devtools: true })
    await store
      .getState()
      .login({ accessToken: tokenAt(Date.now()), refreshToken: 'refresh-secret' })
    fake.next('validate', 503)
    await vi.advanceTimersByTimeAsync(2 * MINUTE) // fails, then recovers at the next tick
    await store.getState().refresh()
    fake.next('refresh', 'network')
    await store.getState().refresh()
    vi.setSystemTime(Date.now() + 2 * MINUTE)
    store.getState().recordActivity()
    fake.next('validate', 401)
    fake.next('refresh', 401)
    await store.scheduler.tickNow()
    expect(devtools.actionTypes()).toEqual([
      authActions.login,
      authActions.validateRejected,
      authActions.validateFulfilled,
      authActions.refreshPending,
      authActions.refreshFulfilled,
      authActions.refreshPending,
      authActions.refreshRejected,
      authActions.activity,
      authActions.refreshPending,
      authActions.refreshRejected,
    ])
    expect(devtools.actionTypes()).not.toContain('anonymous')
    expect(devtools.sent.at(-1)?.state).toMatchObject({
      status: 'signedOut',
      signOutReason: 'unauthorized',
    })
  })

  it('names a logout and an idle sign-out', async () => {
    const { store } = createTestStore({ devtools: true })
    await store.getState().login(tokenAt(Date.now()))
    await vi.advanceTimersByTimeAsync(60 * MINUTE)
    await store.getState().login(tokenAt(Date.now()))
    await store.getState().logout()
    const types = devtools.actionTypes()
    expect(types.filter((type) => type === authActions.logout)).toHaveLength(2)
    expect(
      devtools.sent.find((entry) => entry.action.type === authActions.logout)?.state,
    ).toMatchObject({
      signOutReason: 'idle',
    })
  })

  it('redacts tokens and refresh tokens in everything the extension receives, init included', async () => {
    const storage = memoryStorage()
    const rehydrated = tokenAt(Date.now())
    storage.setItem(
      'auth-session',
      JSON.stringify({
        state: {
          token: rehydrated,
          refreshToken: 'stored-refresh',
          expiresAt: Date.now() + 30 * MINUTE,
          lastActivityAt: Date.now(),
        },
        version: 1,
      }),
    )
    const { store, fake } = createTestStore({ devtools: true, storage })
    await store
      .getState()
      .login({ accessToken: tokenAt(Date.now()), refreshToken: 'login-refresh' })
    await store.getState().refresh()
    const secrets = [
      rehydrated,
      'stored-refresh',
      'login-refresh',
      ...fake.issued,
      'r-1',
      store.getState().token as string,
    ]
    const transcript = devtools.transcript()
    for (const secret of secrets) expect(transcript).not.toContain(secret)
    expect(transcript).toContain('eyJ…(redacted)')
    expect(devtools.sent.at(-1)?.state).toMatchObject({
      token: 'eyJ…(redacted)',
      refreshToken: '…(redacted)',
    })
    // the store itself keeps the real token
    expect(store.getState().token).toBe(fake.issued[0])
  })

  it('keeps the real secrets when the monitor time-travels to a redacted state', async () => {
    const { store } = createTestStore({ devtools: true })
    await store.getState().login(tokenAt(Date.now()))
    const token = store.getState().token
    const redactedState = devtools.sent.at(-1)?.state
    devtools.dispatchFromMonitor({
      type: 'DISPATCH',
      payload: { type: 'JUMP_TO_STATE' },
      state: JSON.stringify({ ...redactedState, status: 'degraded' }),
    })
    expect(store.getState()).toMatchObject({ token, status: 'degraded' })
  })

  it('connects nothing when devtools are off, and dispose() cleans up when on', async () => {
    createTestStore({ devtools: false })
    expect(devtools.extension.connect).not.toHaveBeenCalled()
    const { store } = createTestStore({ devtools: { name: 'my-app', enabled: true } })
    expect(devtools.extension.connect).toHaveBeenCalledWith(
      expect.objectContaining({ name: 'my-app' }),
    )
    store.dispose()
    expect(devtools.connection.unsubscribe).toHaveBeenCalled()
  })

  it('dispose() twice cleans up once: the extension is unsubscribed once', () => {
    const { store } = createTestStore({ devtools: true })
    store.dispose()
    store.dispose()
    expect(devtools.connection.unsubscribe).toHaveBeenCalledTimes(1)
  })

  it('is on by default outside production, also with options that leave `enabled` out', () => {
    const options = { transport: createFakeTransport().transport, storage: null, env: headlessEnv }
    createAuthStore(options)
    expect(devtools.extension.connect).toHaveBeenCalledExactlyOnceWith(
      expect.objectContaining({ name: 'auth-session' }),
    )
    createAuthStore({ ...options, devtools: { name: 'my-app' } })
    expect(devtools.extension.connect).toHaveBeenCalledTimes(2)
    expect(devtools.extension.connect).toHaveBeenLastCalledWith(
      expect.objectContaining({ name: 'my-app' }),
    )
  })

  it('is off by default in production, and on when asked', () => {
    vi.stubEnv('NODE_ENV', 'production')
    try {
      createTestStore({ devtools: true })
      createTestStore({ devtools: { name: 'my-app' } })
      expect(devtools.extension.connect).not.toHaveBeenCalled()
      createTestStore({ devtools: { enabled: true } })
      expect(devtools.extension.connect).toHaveBeenCalledTimes(1)
    } finally {
      vi.unstubAllEnvs()
    }
  })

  it('leaves the global extension as it found it', () => {
    const before = (window as unknown as { __REDUX_DEVTOOLS_EXTENSION__: unknown })
      .__REDUX_DEVTOOLS_EXTENSION__
    createTestStore({ devtools: true })
    expect(
      (window as unknown as { __REDUX_DEVTOOLS_EXTENSION__: unknown }).__REDUX_DEVTOOLS_EXTENSION__,
    ).toBe(before)
  })
})
