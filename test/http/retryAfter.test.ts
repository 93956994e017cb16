// @vitest-environment node
import { afterEach, describe, expect, it } from 'vitest'
import { parseRetryAfter } from '../../src/http/retryAfter'
import { type LiveSession, MINUTE, SECOND, startLiveSession } from '../utils/liveSession'

describe('parseRetryAfter', () => {
  const now = Date.parse('2026-01-01T09:00:00Z')

  it('reads delay-seconds', () => {
    expect(parseRetryAfter('120', now)).toBe(120_000)
    expect(parseRetryAfter(' 0 ', now)).toBe(0)
  })

  it('reads an HTTP-date against the local clock', () => {
    expect(parseRetryAfter('Thu, 01 Jan 2026 09:00:30 GMT', now)).toBe(30_000)
    expect(parseRetryAfter('Thu, 01 Jan 2026 08:59:00 GMT', now)).toBe(0)
  })

  it("reads an HTTP-date against the response's Date header when there is one (clock skew)", () => {
    const localClockTenMinutesAhead = now + 10 * MINUTE
    expect(
      parseRetryAfter(
        'Thu, 01 Jan 2026 09:00:30 GMT',
        localClockTenMinutesAhead,
        'Thu, 01 Jan 2026 09:00:00 GMT',
      ),
    ).toBe(30_000)
  })

  it('ignores what it cannot read', () => {
    for (const value of [undefined, '', 'soon', '-5', '1.5', ['1']]) {
      expect(parseRetryAfter(value, now)).toBeUndefined()
    }
  })

  it('takes no date without its day name: every HTTP-date form starts with one', () => {
    // Date.parse reads both; the second is no HTTP-date
    expect(parseRetryAfter('Thu, 01 Jan 2026 09:00:30 GMT', now)).toBe(30_000)
    expect(parseRetryAfter('01 Jan 2026 09:00:30 GMT', now)).toBeUndefined()
  })

  it('measures against the local clock when the Date header is not a string', () => {
    for (const serverDate of [['Thu, 01 Jan 2026 08:59:00 GMT'], 0, null]) {
      expect(parseRetryAfter('Thu, 01 Jan 2026 09:00:30 GMT', now, serverDate)).toBe(30_000)
    }
  })
})

describe('Retry-After on the refresh endpoint, end to end', () => {
  let session: LiveSession
  afterEach(async () => {
    await session?.close()
  })

  it.each([503, 429] as const)(
    '%i with Retry-After: 120 holds the next attempt for 120 s, not 1 s',
    async (mode) => {
      session = await startLiveSession({ server: { accessTokenTtlMs: 10 * MINUTE } })
      const { store, control } = session
      await session.login()
      control.setFailure({ rate: 1, mode, retryAfterSec: 120, routes: ['POST /auth/refresh'] })

      await session.advance(5 * MINUTE)
      expect(session.refreshCount()).toBe(1)
      expect(store.getState()).toMatchObject({
        status: 'degraded',
        error: { kind: 'http', status: mode, retryAfterMs: 120_000 },
      })
      control.setFailure(null)

      await session.advance(120 * SECOND - 1)
      expect(session.refreshCount()).toBe(1)
      await session.advance(1)
      expect(session.refreshCount()).toBe(2)
      expect(store.getState()).toMatchObject({ status: 'authenticated', error: null })
      expect(session.signOuts).toEqual([])
    },
  )
})
