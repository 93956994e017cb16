import { afterEach, beforeEach, describe, expect, it, type Mock, onTestFinished, vi } from 'vitest'
import type { StateStorage } from 'zustand/middleware'
import type { BroadcastChannelConstructor, BroadcastChannelLike } from '../../src/env/browser'
import { memoryStorage } from '../../src/persistence/memoryStorage'
import { createTestStore } from '../utils/createTestStore'
import { createFakeEnv } from '../utils/fakeEnv'
import { makeJwt, tokenAt } from '../utils/jwt'

const MINUTE = 60_000
const KEY = 'auth-session'
const FELL_BACK = 'The storage threw; the session is kept in memory from now on'

let warnings: Mock<typeof console.warn>
beforeEach(() => {
  vi.useFakeTimers({ now: new Date('2026-01-01T09:00:00Z') })
  warnings = vi.spyOn(console, 'warn').mockImplementation(() => {})
})
afterEach(() => {
  vi.useRealTimers()
  // Before localStorage is touched: some tests make reading it throw.
  vi.restoreAllMocks()
  vi.unstubAllGlobals()
  localStorage.clear()
})

const stored = (state: Record<string, unknown>, version = 1) => JSON.stringify({ state, version })

/** The library's warnings that a storage failed, as printed. */
const fallbackWarnings = () =>
  warnings.mock.calls.map(([line]) => String(line)).filter((line) => line.includes(FELL_BACK))

/** What the store would read back from its storage now (zustand's `persist` API). */
const readBack = async (store: ReturnType<typeof createTestStore>['store']) =>
  (await store.persist.getOptions().storage?.getItem(KEY))?.state ?? null

/** Every error the store's state held, in order. */
function recordErrors(store: ReturnType<typeof createTestStore>['store']) {
  const errors: unknown[] = []
  store.subscribe((state, previous) => {
    if (state.error !== previous.error && state.error) errors.push(state.error)
  })
  return errors
}

/**
 * A storage (an IndexedDB or native adapter) whose calls settle later, as promises. `fail`
 * makes one method reject for the session's key, `afterMs` later; other keys (the tabs'
 * message bus and refresh lease) keep working.
 */
function asyncStorage(fail?: { method: keyof StateStorage; error: Error; afterMs?: number }) {
  const backing = memoryStorage()
  const settle = <T>(method: keyof StateStorage, name: string, run: () => T) =>
    method === fail?.method && name === KEY
      ? new Promise<never>((_, reject) => {
          setTimeout(() => reject(fail.error), fail.afterMs ?? 0)
        })
      : Promise.resolve(run())
  return {
    getItem: vi.fn((name: string) => settle('getItem', name, () => backing.getItem(name))),
    setItem: vi.fn((name: string, value: string) =>
      settle('setItem', name, () => backing.setItem(name, value)),
    ),
    removeItem: vi.fn((name: string) => settle('removeItem', name, () => backing.removeItem(name))),
    backing,
  }
}

/** Calls for the session's key (the tabs' message bus and refresh lease use other keys). */
const sessionCalls = (method: Mock) => method.mock.calls.filter(([name]) => name === KEY).length

describe('a storage that answers with promises', () => {
  it('rehydrates the session it resolves', async () => {
    const storage = asyncStorage()
    const token = tokenAt(Date.now())
    storage.backing.setItem(KEY, stored({ token, refreshToken: 'r1', lastActivityAt: Date.now() }))
    const { store } = createTestStore({ storage })
    expect(store.getState().status).toBe('signedOut')
    await vi.advanceTimersByTimeAsync(0)
    expect(store.getState()).toMatchObject({ status: 'authenticated', token, refreshToken: 'r1' })
    expect(store.getState().error).toBeNull()
  })

  it.each([
    ['not JSON', '<html>'],
    ['JSON without a state', JSON.stringify({ token: 'eyJ', version: 1 })],
  ])('reports a resolved value that is %s, naming its key', async (_, raw) => {
    const storage = asyncStorage()
    storage.backing.setItem('app-session', raw)
    const { store } = createTestStore({ storage, storageKey: 'app-session' })
    const errors = recordErrors(store)
    await vi.advanceTimersByTimeAsync(0)
    expect(store.getState()).toMatchObject({ status: 'signedOut', token: null })
    await store.getState().login(tokenAt(Date.now()))
    await vi.advanceTimersByTimeAsync(0)
    const unreadable = 'The stored session under "app-session" is unreadable; it was discarded'
    expect(errors).toContainEqual({ kind: 'storage', message: unreadable })
    expect(warnings).toHaveBeenCalledWith(`[zustand-auth-session] ${unreadable}`)
  })

  it('a rejected read: signed out, reported once with its cause, later writes kept in memory', async () => {
    const storage = asyncStorage({
      method: 'getItem',
      error: new Error('UnknownError: the database is gone'),
    })
    const { store } = createTestStore({ storage })
    const errors = recordErrors(store)
    await vi.advanceTimersByTimeAsync(0)
    expect(store.getState().status).toBe('signedOut')

    await store.getState().login(tokenAt(Date.now()))
    await vi.advanceTimersByTimeAsync(0)
    expect(store.getState().status).toBe('authenticated')
    expect(errors).toContainEqual({ kind: 'storage', message: FELL_BACK })
    expect(fallbackWarnings()).toEqual([
      `[zustand-auth-session] ${FELL_BACK}: UnknownError: the database is gone`,
    ])
    expect(sessionCalls(storage.setItem)).toBe(0)
    expect(await readBack(store)).toMatchObject({ token: store.getState().token })
  })

  it('writes rejected while others were in flight: one report, and the newest session kept', async () => {
    const storage = asyncStorage({
      method: 'setItem',
      error: new Error('QuotaExceededError'),
      afterMs: 10,
    })
    const { store } = createTestStore({ storage })
    const errors = recordErrors(store)
    await store.getState().login(tokenAt(Date.now()))
    await store.getState().refresh()
    const failedWrites = sessionCalls(storage.setItem)
    expect(failedWrites).toBeGreaterThan(1)
    await vi.advanceTimersByTimeAsync(10)
    expect(await readBack(store)).toMatchObject({ token: store.getState().token })

    await store.getState().refresh()
    await vi.advanceTimersByTimeAsync(10)
    expect(errors).toContainEqual({ kind: 'storage', message: FELL_BACK })
    expect(fallbackWarnings()).toEqual([`[zustand-auth-session] ${FELL_BACK}: QuotaExceededError`])
    expect(store.getState().status).toBe('authenticated')
    expect(sessionCalls(storage.setItem)).toBe(failedWrites)
    expect(await readBack(store)).toMatchObject({ token: store.getState().token })
  })
})

describe('a storage that throws', () => {
  it('a write that throws still keeps the session, in memory', async () => {
    const storage = {
      ...memoryStorage(),
      setItem: vi.fn(() => {
        throw new Error('QuotaExceededError')
      }),
    }
    const { store } = createTestStore({ storage })
    await store.getState().login(tokenAt(Date.now()))
    expect(storage.setItem).toHaveBeenCalledWith(KEY, expect.any(String))
    expect(await readBack(store)).toMatchObject({ token: store.getState().token })
  })

  it.each([
    [
      'throws',
      {
        ...memoryStorage(),
        setItem: vi.fn(() => {
          throw new Error('QuotaExceededError')
        }),
      },
    ],
    [
      'rejects',
      asyncStorage({ method: 'setItem', error: new Error('QuotaExceededError'), afterMs: 10 }),
    ],
  ])(
    'a write that %s is reported at once, with no later state change to carry it',
    async (_, storage) => {
      const { store } = createTestStore({ storage, autoStart: false })
      const errors = recordErrors(store)
      await store.getState().login(tokenAt(Date.now()))
      await vi.advanceTimersByTimeAsync(10)
      expect(errors).toEqual([{ kind: 'storage', message: FELL_BACK }])
      expect(fallbackWarnings()).toEqual([
        `[zustand-auth-session] ${FELL_BACK}: QuotaExceededError`,
      ])
      expect(store.getState()).toMatchObject({
        status: 'authenticated',
        error: { kind: 'storage' },
      })
    },
  )

  it.each([
    [
      'throws',
      {
        ...memoryStorage(),
        removeItem: vi.fn(() => {
          throw new Error('SecurityError')
        }),
      },
    ],
    ['rejects', asyncStorage({ method: 'removeItem', error: new Error('SecurityError') })],
  ])('clearing a storage whose removeItem %s is reported, once', async (_, storage) => {
    const { store } = createTestStore({ storage })
    const errors = recordErrors(store)
    await store.getState().login(tokenAt(Date.now()))
    await store.persist.clearStorage()
    await vi.advanceTimersByTimeAsync(0)
    await store.getState().refresh()
    await store.persist.clearStorage()
    await store.getState().refresh()
    await vi.advanceTimersByTimeAsync(0)
    expect(sessionCalls(storage.removeItem)).toBe(1)
    expect(errors).toContainEqual({ kind: 'storage', message: FELL_BACK })
    expect(fallbackWarnings()).toEqual([`[zustand-auth-session] ${FELL_BACK}: SecurityError`])
    expect(store.getState().status).toBe('authenticated')
  })
})

describe('nothing stored', () => {
  it.each([
    ['null', () => null],
    ['undefined', () => undefined as unknown as null],
    ['a promise of null', async () => null],
  ])('a storage answering %s starts signed out, with nothing to report', async (_, getItem) => {
    const storage = { ...memoryStorage(), getItem: vi.fn(getItem) }
    const { store } = createTestStore({ storage })
    await vi.advanceTimersByTimeAsync(0)
    expect(storage.getItem).toHaveBeenCalledWith(KEY)
    expect(store.getState()).toMatchObject({ status: 'signedOut', error: null })
    expect(store.persist.hasHydrated()).toBe(true)
    expect(warnings).not.toHaveBeenCalled()
  })

  it('a stored state of null starts signed out, hydrated, with nothing to report', () => {
    const storage = memoryStorage()
    storage.setItem(KEY, JSON.stringify({ state: null, version: 1 }))
    const { store } = createTestStore({ storage })
    expect(store.persist.hasHydrated()).toBe(true)
    expect(store.getState()).toMatchObject({ status: 'signedOut', token: null, error: null })
  })

  it('a signed-out stored session keeps its last activity and reports nothing', () => {
    const storage = memoryStorage()
    const lastActivityAt = Date.now() - 5 * MINUTE
    storage.setItem(KEY, stored({ token: null, refreshToken: null, lastActivityAt }))
    const { store } = createTestStore({ storage })
    expect(store.getState()).toMatchObject({ status: 'signedOut', lastActivityAt, error: null })
  })

  it('a stored state without a token, its last activity not a number: nothing to report', () => {
    const storage = memoryStorage()
    storage.setItem(KEY, stored({ lastActivityAt: 'yesterday' }))
    const { store } = createTestStore({ storage })
    expect(store.getState()).toMatchObject({
      status: 'signedOut',
      token: null,
      error: null,
      lastActivityAt: Date.now(),
    })
  })
})

describe('a rehydrated session', () => {
  it('takes its expiry from the token when none was stored, and drops a refresh token that is not a string', () => {
    const storage = memoryStorage()
    const exp = Math.floor(Date.now() / 1000) + 45 * 60
    const token = makeJwt({ sub: 'demo', exp })
    storage.setItem(KEY, stored({ token, refreshToken: 42, lastActivityAt: Date.now() }))
    const { store } = createTestStore({ storage })
    expect(store.getState()).toMatchObject({
      status: 'authenticated',
      token,
      refreshToken: null,
      expiresAt: exp * 1000,
    })
  })

  it('ignores times that are not finite (a corrupted storage) and takes the token’s expiry', () => {
    const storage = memoryStorage()
    const exp = Math.floor(Date.now() / 1000) + 45 * 60
    const token = makeJwt({ sub: 'demo', exp })
    storage.setItem(
      KEY,
      `{"state":{"token":"${token}","expiresAt":1e999,"lastActivityAt":-1e999},"version":1}`,
    )
    const { store } = createTestStore({ storage })
    expect(store.getState()).toMatchObject({
      status: 'authenticated',
      expiresAt: exp * 1000,
      lastActivityAt: Date.now(),
    })
  })

  it('keeps the stored expiry and last activity', () => {
    const storage = memoryStorage()
    const expiresAt = Date.now() + 10 * MINUTE
    const lastActivityAt = Date.now() - 3 * MINUTE
    storage.setItem(KEY, stored({ token: tokenAt(Date.now()), expiresAt, lastActivityAt }))
    const { store } = createTestStore({ storage })
    expect(store.getState()).toMatchObject({ status: 'authenticated', expiresAt, lastActivityAt })
  })
})

describe('the default storage', () => {
  it.each([
    [
      'window.localStorage is null',
      () => vi.spyOn(window, 'localStorage', 'get').mockReturnValue(null as unknown as Storage),
    ],
    [
      'reading window.localStorage throws (a sandboxed iframe)',
      () =>
        vi.spyOn(window, 'localStorage', 'get').mockImplementation(() => {
          throw new DOMException('The operation is insecure.', 'SecurityError')
        }),
    ],
    ['there is no window (server rendering)', () => vi.stubGlobal('window', undefined)],
    [
      'the name window is not even declared (Node)',
      () => {
        const saved = Object.getOwnPropertyDescriptor(globalThis, 'window')
        delete (globalThis as { window?: unknown }).window
        onTestFinished(() => {
          if (saved) Object.defineProperty(globalThis, 'window', saved)
        })
      },
    ],
  ])('is memory when %s, with nothing to report', async (_, removeLocalStorage) => {
    removeLocalStorage()
    const { store } = createTestStore({ storage: undefined })
    await store.getState().login(tokenAt(Date.now()))
    await vi.advanceTimersByTimeAsync(0)
    expect(store.getState()).toMatchObject({ status: 'authenticated', error: null })
    expect(await readBack(store)).toMatchObject({ token: store.getState().token })
    expect(warnings).not.toHaveBeenCalled()
    store.dispose()
    vi.restoreAllMocks()
    vi.unstubAllGlobals()
    expect(localStorage.length).toBe(0)
  })
})

describe('no storage (null)', () => {
  it('keeps the session in this store only, with nothing to report', async () => {
    const { store, fake } = createTestStore({ storage: null })
    expect(store.getState().error).toBeNull()
    await store.getState().login(tokenAt(Date.now()))
    await store.getState().refresh()
    expect(fake.transport.refresh).toHaveBeenCalledOnce()
    expect(await readBack(store)).toMatchObject({ token: store.getState().token })
    expect(store.getState().error).toBeNull()
    expect(warnings).not.toHaveBeenCalled()
    expect(localStorage.length).toBe(0)
  })
})

/** A BroadcastChannel between the stores of one test, as between the tabs of an origin. */
function sameOriginBroadcastChannel(): BroadcastChannelConstructor {
  const open = new Set<Channel>()
  class Channel implements BroadcastChannelLike {
    onmessage: ((event: { data: unknown }) => void) | null = null
    constructor(readonly name: string) {
      open.add(this)
    }
    postMessage(data: unknown) {
      for (const channel of open) {
        if (channel !== this && channel.name === this.name) {
          queueMicrotask(() => channel.onmessage?.({ data }))
        }
      }
    }
    close() {
      open.delete(this)
    }
  }
  return Channel
}

describe('a storage of one store alone is not shared with other tabs', () => {
  /** Two stores given the same `storage` option, as two tabs of an origin. */
  const twoTabs = (storage: StateStorage | null | undefined) => {
    const BroadcastChannel = sameOriginBroadcastChannel()
    const open = () => createTestStore({ storage, env: createFakeEnv({ BroadcastChannel }).env })
    return [open().store, open().store] as const
  }

  it.each([
    ['no storage (null)', () => null],
    [
      'the memory fallback (reading window.localStorage throws)',
      () => {
        vi.spyOn(window, 'localStorage', 'get').mockImplementation(() => {
          throw new DOMException('The operation is insecure.', 'SecurityError')
        })
        return undefined
      },
    ],
  ])('%s: another store on the same BroadcastChannel does not take its login', async (_, setUp) => {
    const [a, b] = twoTabs(setUp())
    await a.getState().login(tokenAt(Date.now()))
    await vi.advanceTimersByTimeAsync(0)
    expect(a.getState().status).toBe('authenticated')
    expect(b.getState()).toMatchObject({ status: 'signedOut', token: null })
    a.dispose()
    b.dispose()
  })

  it('while two stores passed one storage do take each other’s login', async () => {
    const [a, b] = twoTabs(memoryStorage())
    await a.getState().login(tokenAt(Date.now()))
    await vi.advanceTimersByTimeAsync(0)
    expect(b.getState()).toMatchObject({ status: 'authenticated', token: a.getState().token })
    a.dispose()
    b.dispose()
  })
})

describe('shared with other tabs', () => {
  it.each([
    ['the default localStorage', undefined],
    ['a storage the app passes', memoryStorage],
  ])(
    '%s: a tab that waited for another’s refresh takes its token, no request of its own',
    async (_, makeStorage) => {
      const storage = makeStorage?.()
      const a = createTestStore({ storage })
      await a.store.getState().login({ accessToken: tokenAt(Date.now()), refreshToken: 'r0' })
      const b = createTestStore({ storage })
      b.fake.holdResponses(true)
      const bRefreshed = b.store.getState().refresh()
      await vi.advanceTimersByTimeAsync(200)
      expect(b.fake.transport.refresh).toHaveBeenCalledOnce()

      const aRefreshed = a.store.getState().refresh()
      await vi.advanceTimersByTimeAsync(200)
      b.fake.holdResponses(false)
      await vi.advanceTimersByTimeAsync(500)
      expect(await Promise.all([aRefreshed, bRefreshed])).toEqual([true, true])
      expect(a.fake.transport.refresh).not.toHaveBeenCalled()
      expect(a.store.getState()).toMatchObject({
        token: b.fake.issued[0],
        refreshToken: 'r-1',
        status: 'authenticated',
      })
      a.store.dispose()
      b.store.dispose()
    },
  )
})

describe("the browser's localStorage, shared by processes", () => {
  it.each([
    ['by default', undefined],
    ['passed explicitly', () => localStorage],
  ])(
    '%s: a refresh waits 100 ms for other tabs’ writes before it asks the server',
    async (_, pick) => {
      const { store, fake } = createTestStore({ storage: pick?.() })
      await store.getState().login(tokenAt(Date.now()))
      void store.getState().refresh()
      await vi.advanceTimersByTimeAsync(99)
      expect(fake.transport.refresh).not.toHaveBeenCalled()
      await vi.advanceTimersByTimeAsync(1)
      expect(fake.transport.refresh).toHaveBeenCalledOnce()
      store.dispose()
    },
  )

  it.each([
    ['a storage of its own', () => {}],
    [
      'a storage of its own while reading window.localStorage throws',
      () =>
        vi.spyOn(window, 'localStorage', 'get').mockImplementation(() => {
          throw new DOMException('The operation is insecure.', 'SecurityError')
        }),
    ],
  ])('%s: a refresh asks the server at once', async (_, setUp) => {
    setUp()
    const { store, fake } = createTestStore({ storage: memoryStorage() })
    await store.getState().login(tokenAt(Date.now()))
    void store.getState().refresh()
    await vi.advanceTimersByTimeAsync(0)
    expect(fake.transport.refresh).toHaveBeenCalledOnce()
  })
})

describe('memoryStorage', () => {
  it('answers null for a missing key, as localStorage does, and forgets what is removed', () => {
    const storage = memoryStorage()
    expect(storage.getItem(KEY)).toBeNull()
    storage.setItem(KEY, 'a')
    expect(storage.getItem(KEY)).toBe('a')
    expect(memoryStorage().getItem(KEY)).toBeNull()
    storage.removeItem(KEY)
    expect(storage.getItem(KEY)).toBeNull()
  })
})
