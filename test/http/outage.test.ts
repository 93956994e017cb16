// @vitest-environment node
import { afterEach, describe, expect, it } from 'vitest'
import { type LiveSession, MINUTE, SECOND, startLiveSession } from '../utils/liveSession'

let session: LiveSession
afterEach(async () => {
  await session?.close()
})

/**
 * Ten-minute tokens and the default 5-minute window: the refresh is due at 5:00. The server
 * goes down at 4:30 for three minutes, so every refresh attempt until 7:30 is refused.
 */
describe('the server down for 3 minutes inside the refresh window', () => {
  it.each([
    // Default backoff inside the refresh window: 1 s, 2 s, 4 s … capped at 15 s (about four
    // attempts a minute): refreshed within seconds of the server's return, and the outage costs
    // about a dozen attempts, not a storm.
    { retry: undefined, cap: 15 * SECOND, maxAttempts: 16 },
    // A shorter cap gets back sooner, for more attempts while the server is down.
    { retry: { maxDelayMs: 5 * SECOND }, cap: 5 * SECOND, maxAttempts: 40 },
  ])(
    'no sign-out; refreshed within $cap ms of the server coming back',
    async ({ retry, cap, maxAttempts }) => {
      session = await startLiveSession({
        server: { accessTokenTtlMs: 10 * MINUTE },
        store: retry ? { retry } : {},
      })
      const { store, control, log } = session
      await session.login()
      const expiresAt = store.getState().expiresAt as number
      await session.advance(4 * MINUTE + 30 * SECOND)

      await control.down()
      await session.advance(3 * MINUTE)
      const upAt = session.time.now()
      expect(store.getState()).toMatchObject({ status: 'degraded', error: { kind: 'network' } })
      expect(store.getState().token).not.toBeNull()
      const failedAttempts = log.to('POST', '/auth/refresh')
      expect(failedAttempts.length).toBeGreaterThanOrEqual(3)
      expect(failedAttempts.length).toBeLessThanOrEqual(maxAttempts)
      expect(session.refreshCount()).toBe(0)

      await control.up()
      await session.advance(cap)

      expect(session.refreshCount()).toBe(1)
      const succeeded = log.to('POST', '/auth/refresh').filter((r) => r.outcome === 200)
      expect(succeeded).toHaveLength(1)
      expect((succeeded[0]?.at as number) - upAt).toBeLessThanOrEqual(cap)
      expect(store.getState()).toMatchObject({ status: 'authenticated', error: null })
      expect(store.getState().expiresAt).toBeGreaterThan(expiresAt)
      expect(session.signOuts).toEqual([])
    },
  )
})
