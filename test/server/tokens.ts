import { randomBytes, randomUUID } from 'node:crypto'
import { errors, jwtVerify, SignJWT } from 'jose'
import type { ServerClock } from './clock'

/** The claims every access token carries; times are whole seconds of the server clock. */
export interface AccessClaims {
  sub: string
  /** Session id: the refresh-token family the token belongs to. */
  sid: string
  jti: string
  iat: number
  exp: number
}

export type AccessVerification =
  | { ok: true; claims: AccessClaims }
  | { ok: false; reason: 'invalid' | 'expired' }

export interface TokenIssuer {
  /** Access-token lifetime in whole seconds, the `expires_in` of token responses. */
  readonly lifetimeSec: number
  sign(sub: string, sid: string): Promise<{ token: string; claims: AccessClaims }>
  /** Checks signature and `exp` against the server clock; session state is not its concern. */
  verify(token: string): Promise<AccessVerification>
  /** Signature only, so logout still works with an expired access token. */
  verifyIgnoringExpiry(token: string): Promise<AccessClaims | null>
}

const ALGORITHM = 'HS256'

export function createTokenIssuer(clock: ServerClock, accessTokenTtlMs: number): TokenIssuer {
  // A fresh secret per instance: tokens from one test's server never validate on another's.
  const secret = randomBytes(32)
  // JWT times are whole seconds; a TTL under a second would produce tokens that are born expired.
  const lifetimeSec = Math.max(1, Math.round(accessTokenTtlMs / 1000))

  const verifyAt = async (token: string, currentDate: Date) => {
    const { payload } = await jwtVerify(token, secret, { algorithms: [ALGORITHM], currentDate })
    return toClaims(payload)
  }

  return {
    lifetimeSec,
    sign: async (sub, sid) => {
      const iat = clock.nowSec()
      const claims: AccessClaims = { sub, sid, jti: randomUUID(), iat, exp: iat + lifetimeSec }
      const token = await new SignJWT({ sid: claims.sid })
        .setProtectedHeader({ alg: ALGORITHM, typ: 'JWT' })
        .setSubject(claims.sub)
        .setJti(claims.jti)
        .setIssuedAt(claims.iat)
        .setExpirationTime(claims.exp)
        .sign(secret)
      return { token, claims }
    },
    verify: async (token) => {
      try {
        const claims = await verifyAt(token, new Date(clock.now()))
        return claims ? { ok: true, claims } : { ok: false, reason: 'invalid' }
      } catch (error) {
        return { ok: false, reason: error instanceof errors.JWTExpired ? 'expired' : 'invalid' }
      }
    },
    verifyIgnoringExpiry: async (token) => {
      try {
        // Checking at the epoch makes every `exp` lie in the future.
        return await verifyAt(token, new Date(0))
      } catch {
        return null
      }
    },
  }
}

function toClaims(payload: Record<string, unknown>): AccessClaims | null {
  const { sub, sid, jti, iat, exp } = payload
  if (typeof sub !== 'string' || typeof sid !== 'string' || typeof jti !== 'string') return null
  if (typeof iat !== 'number' || typeof exp !== 'number') return null
  return { sub, sid, jti, iat, exp }
}
