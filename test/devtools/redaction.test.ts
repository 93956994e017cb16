import { describe, expect, it, vi } from 'vitest'
import { REDACTED, REDACTED_JWT, redact } from '../../src/devtools/redact'
import { createTestStore } from '../utils/createTestStore'
import { setUpFakeDevtoolsExtension } from '../utils/fakeDevtoolsExtension'
import { tokenAt } from '../utils/jwt'

const GLOBAL = '__REDUX_DEVTOOLS_EXTENSION__'
const devtools = setUpFakeDevtoolsExtension({ fakeTimersFrom: new Date('2026-01-01T09:00:00Z') })

const hasGlobal = () => Object.hasOwn(window, GLOBAL)

describe('redact', () => {
  it('uses the placeholders the devtools tests and the monitor see', () => {
    expect(REDACTED_JWT).toBe('eyJ…(redacted)')
    expect(REDACTED).toBe('…(redacted)')
  })

  it.each(['token', 'refreshToken', 'accessToken', 'access_token', 'refresh_token'])(
    'masks "%s" whatever string it holds',
    (key) => {
      expect(redact({ [key]: 'opaque-secret' })).toEqual({ [key]: '…(redacted)' })
      expect(redact({ [key]: tokenAt(Date.now()) })).toEqual({ [key]: 'eyJ…(redacted)' })
      expect(redact({ [key]: 'eyJ-not-a-whole-jwt' })).toEqual({ [key]: 'eyJ…(redacted)' })
    },
  )

  it('keeps a secret key’s value that is not a string (a signed-out session’s null)', () => {
    expect(redact({ token: null, refreshToken: 42, accessToken: undefined })).toEqual({
      token: null,
      refreshToken: 42,
      accessToken: undefined,
    })
  })

  it('masks a JWT inside any other string and leaves other strings alone', () => {
    const token = tokenAt(Date.now())
    expect(redact(`Bearer ${token}`)).toBe('Bearer eyJ…(redacted)')
    expect(
      redact({ status: 'degraded', error: { kind: 'http', message: `401 for ${token}` } }),
    ).toEqual({ status: 'degraded', error: { kind: 'http', message: '401 for eyJ…(redacted)' } })
  })

  it('copies arrays as arrays, with the secrets of the objects in them masked', () => {
    const redacted = redact({ sessions: [{ id: 1, token: 'secret' }, 'plain', 3] }) as {
      sessions: unknown[]
    }
    expect(Array.isArray(redacted.sessions)).toBe(true)
    expect(redacted).toEqual({ sessions: [{ id: 1, token: '…(redacted)' }, 'plain', 3] })
  })

  it('drops functions: the monitor cannot show them', () => {
    const redacted = redact({ status: 'authenticated', login: () => {} })
    expect(redacted).toEqual({ status: 'authenticated' })
    expect(redacted).not.toHaveProperty('login')
  })

  it.each([null, undefined, 0, 42, true, false])('returns %s as it is', (value) => {
    expect(redact(value)).toBe(value)
  })

  it('marks a circular reference instead of recursing forever', () => {
    const state: Record<string, unknown> = { status: 'authenticated', token: 'secret' }
    state.self = state
    const list: unknown[] = ['a']
    list.push(list)
    expect(redact(state)).toEqual({
      status: 'authenticated',
      token: '…(redacted)',
      self: '[Circular]',
    })
    expect(redact(list)).toEqual(['a', '[Circular]'])
  })

  it('copies an object that appears twice (not a cycle) twice, secrets masked in both', () => {
    const job = { name: 'export', accessToken: 'secret' }
    expect(redact({ current: job, previous: job, all: [job] })).toEqual({
      current: { name: 'export', accessToken: '…(redacted)' },
      previous: { name: 'export', accessToken: '…(redacted)' },
      all: [{ name: 'export', accessToken: '…(redacted)' }],
    })
  })

  it('leaves its input untouched', () => {
    const state = { token: 'secret', nested: { refreshToken: 'r' } }
    redact(state)
    expect(state).toEqual({ token: 'secret', nested: { refreshToken: 'r' } })
  })
})

describe('what the monitor sends back', () => {
  it('time travel keeps the store’s real token and refresh token', async () => {
    const { store } = createTestStore({ devtools: true })
    await store
      .getState()
      .login({ accessToken: tokenAt(Date.now()), refreshToken: 'refresh-secret' })
    const { token } = store.getState()
    const redactedState = devtools.sent.at(-1)?.state
    expect(redactedState).toMatchObject({ token: REDACTED_JWT, refreshToken: REDACTED })
    devtools.dispatchFromMonitor({
      type: 'DISPATCH',
      payload: { type: 'JUMP_TO_STATE' },
      state: JSON.stringify({ ...redactedState, status: 'degraded' }),
    })
    expect(store.getState()).toMatchObject({
      status: 'degraded',
      token,
      refreshToken: 'refresh-secret',
    })
  })

  it('a state that is not JSON changes nothing and throws nothing', async () => {
    const errors = vi.spyOn(console, 'error').mockImplementation(() => {})
    const { store } = createTestStore({ devtools: true })
    await store.getState().login(tokenAt(Date.now()))
    const before = store.getState()
    expect(() =>
      devtools.dispatchFromMonitor({
        type: 'DISPATCH',
        payload: { type: 'JUMP_TO_STATE' },
        state: '{"status":',
      }),
    ).not.toThrow()
    expect(store.getState()).toBe(before)
    expect(errors).toHaveBeenCalledWith(
      expect.stringContaining('Could not parse the received json'),
      expect.anything(),
    )
  })

  it('a commit re-initialises the monitor with redacted state', async () => {
    const { store } = createTestStore({ devtools: true })
    await store.getState().login({ accessToken: tokenAt(Date.now()), refreshToken: 'r-secret' })
    devtools.dispatchFromMonitor({ type: 'DISPATCH', payload: { type: 'COMMIT' } })
    expect(devtools.inits.at(-1)).toMatchObject({
      status: 'authenticated',
      token: REDACTED_JWT,
      refreshToken: REDACTED,
    })
    expect(devtools.transcript()).not.toContain(store.getState().token)
    expect(devtools.transcript()).not.toContain('r-secret')
  })
})

describe('the extension global', () => {
  it('an extension connection without unsubscribe (an older extension) is cleaned up without error', () => {
    delete (devtools.connection as { unsubscribe?: unknown }).unsubscribe
    const { store } = createTestStore({ devtools: true })
    expect(devtools.extension.connect).toHaveBeenCalledTimes(1)
    expect(() => store.dispose()).not.toThrow()
  })

  it.each([
    {
      case: 'read-only',
      descriptor: (extension: unknown): PropertyDescriptor => ({
        value: extension,
        writable: false,
      }),
    },
    {
      case: 'a setter that ignores writes',
      descriptor: (extension: unknown): PropertyDescriptor => ({
        get: () => extension,
        set: () => {},
      }),
    },
  ])(
    'a $case global cannot be wrapped: devtools stay off, with a warning',
    async ({ descriptor }) => {
      const warnings = vi.spyOn(console, 'warn').mockImplementation(() => {})
      const { extension } = devtools
      Object.defineProperty(window, GLOBAL, { configurable: true, ...descriptor(extension) })
      const { store } = createTestStore({ devtools: true })
      expect(warnings).toHaveBeenCalledExactlyOnceWith(
        '[zustand-auth-session] Redux DevTools left off: its global could not be wrapped to redact tokens',
      )
      expect(extension.connect).not.toHaveBeenCalled()
      expect(store.devtools).toBeUndefined()
      await store.getState().login(tokenAt(Date.now()))
      expect(store.getState().status).toBe('authenticated')
      expect((window as unknown as Record<string, unknown>)[GLOBAL]).toBe(extension)
    },
  )

  it('without the extension, the store works without devtools and leaves no global behind', async () => {
    devtools.uninstall()
    const warnings = vi.spyOn(console, 'warn')
    const { store } = createTestStore({ devtools: true })
    expect(store.devtools).toBeUndefined()
    expect(hasGlobal()).toBe(false)
    await store.getState().login(tokenAt(Date.now()))
    expect(store.getState().status).toBe('authenticated')
    expect(warnings).not.toHaveBeenCalled()
  })

  it('without a window (SSR), devtools are off and nothing throws', () => {
    const descriptor = Object.getOwnPropertyDescriptor(globalThis, 'window')
    delete (globalThis as { window?: unknown }).window
    let created: ReturnType<typeof createTestStore> | undefined
    try {
      created = createTestStore({ devtools: true })
    } finally {
      if (descriptor) Object.defineProperty(globalThis, 'window', descriptor)
    }
    expect(created?.store.devtools).toBeUndefined()
    expect(devtools.extension.connect).not.toHaveBeenCalled()
  })
})
