import { afterEach, beforeEach, expect, it, vi } from 'vitest'
import { createAsyncStorage } from '../utils/asyncStorage'
import { createTestStore } from '../utils/createTestStore'
import { tokenAt } from '../utils/jwt'
import { KEY, storedSession } from '../utils/sharedOrigin'

/**
 * An async storage (an IndexedDB adapter, say) answers after the store exists: what the app did
 * meanwhile is newer than what was stored, and must not be undone by the stored session; what
 * was stored is checked as soon as it arrives, as a synchronous storage's session is.
 */
const MINUTE = 60_000

beforeEach(() => {
  vi.useFakeTimers({ now: new Date('2026-01-01T09:00:00Z') })
})
afterEach(() => {
  vi.useRealTimers()
})

/** An async storage holding a stored session with these fields. */
async function holding(state: Record<string, unknown>) {
  const storage = createAsyncStorage()
  await storage.setItem(KEY, storedSession(state))
  return storage
}

/** An async storage holding a session whose token ran out a minute ago (used two minutes ago). */
const holdingExpiredSession = () =>
  holding({
    token: tokenAt(Date.now() - 2 * 60 * MINUTE),
    refreshToken: 'r-0',
    expiresAt: Date.now() - MINUTE,
    lastActivityAt: Date.now() - 2 * MINUTE,
  })

it('a sign-in before an async storage answers keeps its session: the stored older one does not replace it', async () => {
  const storage = await holding({
    token: tokenAt(Date.now() - MINUTE),
    refreshToken: 'r-old',
    expiresAt: Date.now() + 50 * MINUTE,
    lastActivityAt: Date.now() - MINUTE,
  })
  const { store } = createTestStore({ storage })
  // An OAuth callback page signing in with the token from its URL, at start-up.
  const token = tokenAt(Date.now())
  await store.getState().login({ accessToken: token, refreshToken: 'r-new' })

  await vi.advanceTimersByTimeAsync(0) // the stored session arrives
  expect(store.getState()).toMatchObject({ status: 'authenticated', token, refreshToken: 'r-new' })
  await vi.advanceTimersByTimeAsync(0)
  expect(JSON.parse((await storage.getItem(KEY)) as string).state).toMatchObject({
    token,
    refreshToken: 'r-new',
  })
})

it('a stored session idle past the timeout is signed out "idle" as soon as it arrives', async () => {
  const storage = await holding({
    token: tokenAt(Date.now()),
    refreshToken: 'r-0',
    expiresAt: Date.now() + 50 * MINUTE,
    lastActivityAt: Date.now() - 61 * MINUTE,
  })
  const { store, fake } = createTestStore({ storage })
  await vi.advanceTimersByTimeAsync(0)
  expect(store.getState()).toMatchObject({ status: 'signedOut', signOutReason: 'idle' })
  expect(fake.transport.validate).not.toHaveBeenCalled()
})

it('a stored session whose token expired is refreshed as soon as it arrives, once', async () => {
  const { store, fake } = createTestStore({ storage: await holdingExpiredSession() })
  await vi.advanceTimersByTimeAsync(0)
  expect(store.getState()).toMatchObject({ status: 'authenticated', token: fake.issued[0] })
  await vi.advanceTimersByTimeAsync(MINUTE)
  expect(fake.transport.refresh).toHaveBeenCalledTimes(1)
})

it('a store that is not started does not check the stored session when it arrives', async () => {
  const { store, fake } = createTestStore({
    storage: await holdingExpiredSession(),
    autoStart: false,
  })
  await vi.advanceTimersByTimeAsync(10 * MINUTE)
  expect(store.getState().status).toBe('authenticated')
  expect(fake.transport.refresh).not.toHaveBeenCalled()
})

it('a store disposed before the stored session arrives does not check it', async () => {
  const { store, fake } = createTestStore({ storage: await holdingExpiredSession() })
  store.dispose()
  await vi.advanceTimersByTimeAsync(10 * MINUTE)
  expect(fake.transport.refresh).not.toHaveBeenCalled()
})
