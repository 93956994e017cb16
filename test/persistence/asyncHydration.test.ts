import { afterEach, beforeEach, expect, it, vi } from 'vitest'
import { createAsyncStorage } from '../utils/asyncStorage'
import { createTestStore } from '../utils/createTestStore'
import { tokenAt } from '../utils/jwt'

/**
 * An async storage (an IndexedDB adapter, say) answers after the store exists: what the app did
 * meanwhile is newer than what was stored, and must not be undone by the stored session.
 */
beforeEach(() => {
  vi.useFakeTimers({ now: new Date('2026-01-01T09:00:00Z') })
})
afterEach(() => {
  vi.useRealTimers()
})

it('a sign-in before an async storage answers keeps its session: the stored older one does not replace it', async () => {
  const storage = createAsyncStorage()
  await storage.setItem(
    'auth-session',
    JSON.stringify({
      state: {
        token: tokenAt(Date.now() - 60_000),
        refreshToken: 'r-old',
        expiresAt: Date.now() + 50 * 60_000,
        lastActivityAt: Date.now() - 60_000,
      },
      version: 1,
    }),
  )
  const { store } = createTestStore({ storage })
  // An OAuth callback page signing in with the token from its URL, at start-up.
  const token = tokenAt(Date.now())
  await store.getState().login({ accessToken: token, refreshToken: 'r-new' })

  await vi.advanceTimersByTimeAsync(0) // the stored session arrives
  expect(store.getState()).toMatchObject({ status: 'authenticated', token, refreshToken: 'r-new' })
  await vi.advanceTimersByTimeAsync(0)
  expect(JSON.parse((await storage.getItem('auth-session')) as string).state).toMatchObject({
    token,
    refreshToken: 'r-new',
  })
})
