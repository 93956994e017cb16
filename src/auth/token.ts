import { InvalidTokenError as JwtDecodeError, jwtDecode } from 'jwt-decode'
import { InvalidResponseError } from '../errors/InvalidResponseError'
import { InvalidTokenError } from '../errors/InvalidTokenError'
import { isFiniteNumber } from '../numbers'
import type { TokenSet } from '../types'

export interface TokenClaims {
  /** Seconds since the epoch, on the server's clock. */
  exp: number
  iat?: number
}

/** Decodes a JWT's payload (no signature check: that is the server's job) and checks `exp`. */
export function decodeClaims(token: unknown): TokenClaims {
  if (typeof token !== 'string' || token.length === 0) {
    throw new InvalidTokenError('The access token must be a non-empty string')
  }
  let payload: unknown
  try {
    payload = jwtDecode(token)
  } catch (error) {
    // Stryker disable next-line ConditionalExpression,StringLiteral: jwt-decode throws only its own error type today; the fallback keeps a future one readable
    const why = error instanceof JwtDecodeError ? error.message : 'it could not be decoded'
    throw new InvalidTokenError(`The access token is not a JWT: ${why}`, { cause: error })
  }
  if (typeof payload !== 'object' || payload === null || Array.isArray(payload)) {
    throw new InvalidTokenError('The access token payload is not a JSON object')
  }
  const { exp, iat } = payload as { exp?: unknown; iat?: unknown }
  if (!isFiniteNumber(exp) || exp <= 0) {
    throw new InvalidTokenError('The access token has no valid `exp` claim')
  }
  // An `iat` that is not a number, or not before `exp`, cannot give a lifetime: ignore it.
  return isFiniteNumber(iat) && iat > 0 && iat < exp ? { exp, iat } : { exp }
}

/**
 * When the access token expires, on the local clock.
 *
 * Prefers the server's own `expiresAt` (already local). Otherwise, with `iat`, it is
 * `receivedAt + (exp - iat)`: the token's lifetime measured from when we got it, so a client
 * clock minutes off neither signs the user out nor refreshes on every tick. Without `iat` only
 * the raw `exp` is left, and skew is not correctable.
 */
export function computeExpiresAt(tokenSet: TokenSet, receivedAt: number): number {
  const claims = decodeClaims(tokenSet.accessToken)
  if (tokenSet.expiresAt !== undefined) return tokenSet.expiresAt
  if (claims.iat !== undefined) return receivedAt + (claims.exp - claims.iat) * 1000
  return claims.exp * 1000
}

/**
 * Checks that something a transport resolved with is a token set, so a garbage response
 * (HTML, `{}`, a number, `undefined`) becomes a typed error instead of a corrupt state.
 */
export function parseTokenSet(value: unknown): TokenSet {
  if (typeof value === 'string') return { accessToken: value }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new InvalidResponseError(`Expected a token set, got ${describe(value)}`)
  }
  const { accessToken, refreshToken, expiresAt } = value as Record<string, unknown>
  if (typeof accessToken !== 'string' || accessToken.length === 0) {
    throw new InvalidResponseError('The token set has no `accessToken` string')
  }
  if (refreshToken !== undefined && refreshToken !== null && typeof refreshToken !== 'string') {
    throw new InvalidResponseError('The token set has a `refreshToken` that is not a string')
  }
  if (expiresAt !== undefined && expiresAt !== null && !isFiniteNumber(expiresAt)) {
    throw new InvalidResponseError('The token set has an `expiresAt` that is not a number')
  }
  const tokenSet: TokenSet = { accessToken }
  if (typeof refreshToken === 'string') tokenSet.refreshToken = refreshToken
  if (isFiniteNumber(expiresAt)) tokenSet.expiresAt = expiresAt
  return tokenSet
}

function describe(value: unknown): string {
  if (value === null) return 'null'
  if (Array.isArray(value)) return 'an array'
  return typeof value === 'undefined' ? 'nothing' : `a ${typeof value}`
}
