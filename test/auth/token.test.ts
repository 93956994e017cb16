import { describe, expect, it } from 'vitest'
import { computeExpiresAt, decodeClaims, parseTokenSet } from '../../src/auth/token'
import { isInvalidResponseError, isInvalidTokenError } from '../../src/errors/guards'
import { makeJwt } from '../utils/jwt'

const MINUTE = 60_000

describe('decodeClaims', () => {
  it.each([
    ['not a JWT', 'not-a-jwt'],
    ['an empty string', ''],
    ['a payload that is not JSON', 'eyJhbGciOiJIUzI1NiJ9.bm90IGpzb24.sig'],
  ])('rejects %s with an InvalidTokenError', (_, token) => {
    expect(() => decodeClaims(token)).toThrowError(
      expect.objectContaining({ name: 'InvalidTokenError' }),
    )
  })

  it.each([
    ['missing', {}],
    ['a string', { exp: '1700000000' }],
    ['zero', { exp: 0 }],
    ['negative', { exp: -5 }],
  ])('rejects a token whose exp is %s', (_, claims) => {
    let caught: unknown
    try {
      decodeClaims(makeJwt(claims))
    } catch (error) {
      caught = error
    }
    expect(isInvalidTokenError(caught)).toBe(true)
    expect((caught as Error).message).toMatch(/exp/)
  })

  it('ignores an iat that is not before exp', () => {
    expect(decodeClaims(makeJwt({ exp: 100, iat: 200 }))).toEqual({ exp: 100 })
    expect(decodeClaims(makeJwt({ exp: 200, iat: 100 }))).toEqual({ exp: 200, iat: 100 })
  })
})

describe('computeExpiresAt', () => {
  const serverNowSec = 1_700_000_000

  it('prefers the token set’s own expiresAt (already on the local clock)', () => {
    const accessToken = makeJwt({ iat: serverNowSec, exp: serverNowSec + 3600 })
    expect(computeExpiresAt({ accessToken, expiresAt: 42_000 }, 1_000)).toBe(42_000)
  })

  it('measures the lifetime from receipt when the token has iat, so client skew does not matter', () => {
    const accessToken = makeJwt({ iat: serverNowSec, exp: serverNowSec + 3600 })
    // The client's clock is 10 minutes behind and 10 minutes ahead of the server's.
    for (const skew of [-10 * MINUTE, 10 * MINUTE]) {
      const receivedAt = serverNowSec * 1000 + skew
      expect(computeExpiresAt({ accessToken }, receivedAt)).toBe(receivedAt + 60 * MINUTE)
    }
  })

  it('falls back to the raw exp without iat', () => {
    const accessToken = makeJwt({ exp: serverNowSec })
    expect(computeExpiresAt({ accessToken }, 5)).toBe(serverNowSec * 1000)
  })
})

describe('parseTokenSet', () => {
  it.each([
    ['undefined', undefined],
    ['an empty object', {}],
    ['a number', 42],
    ['null', null],
    ['an array', []],
    ['a non-string refresh token', { accessToken: 'a', refreshToken: 7 }],
    ['a non-numeric expiresAt', { accessToken: 'a', expiresAt: 'soon' }],
  ])('rejects %s with an InvalidResponseError', (_, value) => {
    let caught: unknown
    try {
      parseTokenSet(value)
    } catch (error) {
      caught = error
    }
    expect(isInvalidResponseError(caught)).toBe(true)
  })

  it('keeps the fields of a good token set and drops nulls', () => {
    expect(parseTokenSet({ accessToken: 'a', refreshToken: null, expiresAt: 5, extra: 1 })).toEqual(
      {
        accessToken: 'a',
        expiresAt: 5,
      },
    )
  })
})
