import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import type { StateStorage } from 'zustand/middleware'
import { memoryStorage } from '../../src/persistence/memoryStorage'
import { partializeSession } from '../../src/persistence/persistedSession'
import { createTestStore } from '../utils/createTestStore'
import { makeJwt, tokenAt } from '../utils/jwt'

const MINUTE = 60_000
const KEY = 'auth-session'

beforeEach(() => {
  vi.useFakeTimers({ now: new Date('2026-01-01T09:00:00Z') })
  vi.spyOn(console, 'warn').mockImplementation(() => {})
})
afterEach(() => {
  vi.useRealTimers()
})

const stored = (state: Record<string, unknown>, version = 1) => JSON.stringify({ state, version })

describe('persistence', () => {
  it('writes only the session fields', async () => {
    const storage = memoryStorage()
    const { store } = createTestStore({ storage })
    await store.getState().login({ accessToken: tokenAt(Date.now()), refreshToken: 'r1' })
    const written = JSON.parse(storage.getItem(KEY) as string)
    expect(Object.keys(written.state).sort()).toEqual([
      'expiresAt',
      'lastActivityAt',
      'refreshToken',
      'token',
    ])
    expect(written.state.refreshToken).toBe('r1')
  })

  it('rehydrates a session, authenticated, and validates it at once', async () => {
    const storage = memoryStorage()
    const token = tokenAt(Date.now())
    storage.setItem(
      KEY,
      stored({
        token,
        refreshToken: 'r1',
        expiresAt: Date.now() + 30 * MINUTE,
        lastActivityAt: Date.now(),
      }),
    )
    const { store, fake } = createTestStore({ storage })
    expect(store.getState()).toMatchObject({ status: 'authenticated', token, refreshToken: 'r1' })
    await vi.advanceTimersByTimeAsync(0)
    expect(fake.transport.validate).toHaveBeenCalledTimes(1)
    expect(fake.transport.refresh).not.toHaveBeenCalled()
  })

  it('refreshes an expired rehydrated token immediately', async () => {
    const storage = memoryStorage()
    storage.setItem(
      KEY,
      stored({
        token: tokenAt(Date.now() - 2 * 60 * MINUTE),
        refreshToken: 'r1',
        expiresAt: Date.now() - MINUTE,
        lastActivityAt: Date.now() - 2 * MINUTE,
      }),
    )
    const { store, fake } = createTestStore({ storage })
    await vi.advanceTimersByTimeAsync(0)
    expect(fake.transport.refresh).toHaveBeenCalledTimes(1)
    expect(store.getState().status).toBe('authenticated')
    expect(store.getState().expiresAt as number).toBeGreaterThan(Date.now())
  })

  it('signs out "idle" at once when the stored session has been idle past the timeout', async () => {
    const storage = memoryStorage()
    storage.setItem(
      KEY,
      stored({
        token: tokenAt(Date.now()),
        expiresAt: Date.now() + 50 * MINUTE,
        lastActivityAt: Date.now() - 61 * MINUTE,
      }),
    )
    const { store, fake } = createTestStore({ storage })
    await vi.advanceTimersByTimeAsync(0)
    expect(store.getState().signOutReason).toBe('idle')
    expect(fake.transport.refresh).not.toHaveBeenCalled()
  })

  it.each([
    ['not a JWT', 'garbage'],
    ['a JWT without exp', makeJwt({ sub: 'x' })],
    ['a number', 12],
  ])('discards a stored token that is %s, with a clear error', (_, token) => {
    const storage = memoryStorage()
    storage.setItem(
      KEY,
      stored({ token, expiresAt: Date.now() + MINUTE, lastActivityAt: Date.now() }),
    )
    const { store } = createTestStore({ storage })
    expect(store.getState()).toMatchObject({
      status: 'signedOut',
      token: null,
      error: { kind: 'invalid_token' },
    })
  })

  it.each([
    ['unparseable JSON', '{not json'],
    ['JSON without a state', '[1,2,3]'],
    ['JSON null', 'null'],
    ['a JSON number', '42'],
    ['a JSON string', '"state"'],
  ])('treats %s as nothing stored and reports it', (_, raw) => {
    const storage = memoryStorage()
    storage.setItem(KEY, raw)
    const { store } = createTestStore({ storage })
    expect(store.getState()).toMatchObject({ status: 'signedOut', error: { kind: 'storage' } })
  })

  it('starts signed out from another version’s shape', () => {
    const storage = memoryStorage()
    storage.setItem(KEY, stored({ accessToken: tokenAt(Date.now()) }, 0))
    vi.spyOn(console, 'error').mockImplementation(() => {})
    const { store } = createTestStore({ storage })
    expect(store.getState().status).toBe('signedOut')
  })

  it('a synchronous storage is read and rewritten before the store is returned, another version’s value included', () => {
    const storage = memoryStorage()
    storage.setItem(KEY, stored({ accessToken: tokenAt(Date.now()) }, 0))
    vi.spyOn(console, 'error').mockImplementation(() => {})
    const { store } = createTestStore({ storage })
    expect(store.persist.hasHydrated()).toBe(true)
    expect(JSON.parse(storage.getItem(KEY) as string)).toMatchObject({
      state: { token: null },
      version: 1,
    })
  })

  it('over a synchronous storage, the store’s persist storage is synchronous too: nothing to await', () => {
    const backing = memoryStorage()
    const { store } = createTestStore({ storage: backing })
    const storage = store.persist.getOptions().storage
    const value = { state: partializeSession(store.getState()), version: 1 }
    expect(storage?.setItem(KEY, value)).toBeUndefined()
    expect(storage?.getItem(KEY)).toEqual(value)
    expect(storage?.removeItem(KEY)).toBeUndefined()
    expect(backing.getItem(KEY)).toBeNull()
  })

  it('falls back to memory when the storage throws, and the app keeps working', async () => {
    const throwing: StateStorage = {
      getItem: () => {
        throw new Error('SecurityError: access denied')
      },
      setItem: () => {
        throw new Error('QuotaExceededError')
      },
      removeItem: () => {
        throw new Error('nope')
      },
    }
    const { store, fake } = createTestStore({ storage: throwing })
    expect(store.getState().error).toMatchObject({ kind: 'storage' })
    await store.getState().login(tokenAt(Date.now()))
    expect(store.getState().status).toBe('authenticated')
    await store.getState().refresh()
    expect(fake.transport.refresh).toHaveBeenCalledTimes(1)
    expect(store.getState().status).toBe('authenticated')
  })

  it('reports a storage that starts throwing on write', async () => {
    let quotaLeft = true
    const backing = memoryStorage()
    const flaky: StateStorage = {
      getItem: backing.getItem,
      removeItem: backing.removeItem,
      setItem: (name, value) => {
        if (!quotaLeft) throw new Error('QuotaExceededError')
        return backing.setItem(name, value)
      },
    }
    const { store } = createTestStore({ storage: flaky })
    await store.getState().login(tokenAt(Date.now()))
    quotaLeft = false
    const errors: unknown[] = []
    store.subscribe(({ error }) => {
      if (error) errors.push(error.kind)
    })
    await store.getState().refresh()
    // Reported as soon as the write failed, while the refresh was in flight; the refresh's
    // success then clears `error`, as any success does.
    expect(errors).toEqual(['storage'])
    expect(store.getState().status).toBe('authenticated')
  })

  it('a null storage keeps nothing outside the store', async () => {
    const local = vi.spyOn(Storage.prototype, 'setItem')
    const { store } = createTestStore({ storage: null })
    await store.getState().login(tokenAt(Date.now()))
    expect(local).not.toHaveBeenCalled()
  })

  it('defaults to localStorage when there is one', async () => {
    localStorage.clear()
    const { store } = createTestStore({ storage: undefined, storageKey: 'app-session' })
    await store.getState().login(tokenAt(Date.now()))
    expect(JSON.parse(localStorage.getItem('app-session') as string).state.token).toBe(
      store.getState().token,
    )
    store.dispose()
    localStorage.clear()
  })
})
