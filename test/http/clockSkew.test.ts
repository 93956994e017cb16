// @vitest-environment node
import { afterEach, describe, expect, it } from 'vitest'
import { HOUR, type LiveSession, MINUTE, startLiveSession } from '../utils/liveSession'

let session: LiveSession
afterEach(async () => {
  await session?.close()
})

/**
 * 15-minute tokens, 5-minute window: one refresh every 10 minutes, whatever the server's clock
 * says, because expiry is `receivedAt + expires_in` on the local clock. Reading `exp` against
 * the local clock instead would sign out at +10 min (the server sees the token expire five
 * minutes before the client refreshes) and refresh on every tick at −10 min.
 */
describe('client and server clocks 10 minutes apart', () => {
  it.each([
    ['ahead', 10 * MINUTE],
    ['behind', -10 * MINUTE],
  ])('server %s: three hours, no sign-out, one refresh per 10 minutes', async (_, offset) => {
    session = await startLiveSession({
      server: { accessTokenTtlMs: 15 * MINUTE, clockOffsetMs: offset },
    })
    await session.login()

    await session.advance(3 * HOUR)

    expect(session.signOuts).toEqual([])
    expect(session.store.getState()).toMatchObject({ status: 'authenticated', error: null })
    expect(session.refreshCount()).toBe(18)
    // the other ticks validated, but for the one right after each refresh (a token the server
    // has just issued needs no validation), and the server agreed each time
    expect(session.control.counts()['GET /auth/validate']).toBe(180 - 18 - 17)
    expect(session.log.entries.every((r) => r.outcome === 200)).toBe(true)
  })
})
