import type { ServerClock } from './clock'
import { createSessionStore, type RefreshError } from './sessions'
import { type AccessClaims, createTokenIssuer } from './tokens'

/** The one account the reference backend knows. */
export const DEMO_USER = { username: 'demo', password: 'demo' } as const

export interface TokenPair {
  accessToken: string
  refreshToken: string
  /** Access-token lifetime in seconds. */
  expiresIn: number
  claims: AccessClaims
}

export type AccessError = 'missing_token' | 'invalid_token' | 'token_expired' | 'token_revoked'

export type AccessCheck = { ok: true; claims: AccessClaims } | { ok: false; error: AccessError }

export interface Authority {
  login(username: unknown, password: unknown): Promise<TokenPair | null>
  refresh(refreshToken: string | undefined): Promise<TokenPair | { error: RefreshError }>
  logout(credentials: { accessToken?: string; refreshToken?: string }): Promise<void>
  /** Signature, expiry by the server clock, `expireTokensNow` and session revocation. */
  checkAccess(token: string | undefined): Promise<AccessCheck>
  /** The same verdict without crypto, for sockets re-checking a token they already verified. */
  recheckAccess(claims: AccessClaims): AccessCheck
  revokeSession(sid?: string): void
  expireTokensNow(): void
}

export interface AuthorityOptions {
  clock: ServerClock
  accessTokenTtlMs: number
  refreshTokenIdleTtlMs: number
}

/** Issues and judges tokens: everything the HTTP routes and WebSockets ask about credentials. */
export function createAuthority(options: AuthorityOptions): Authority {
  const { clock } = options
  const tokens = createTokenIssuer(clock, options.accessTokenTtlMs)
  const sessions = createSessionStore(clock, options.refreshTokenIdleTtlMs)
  // Access tokens are stateless JWTs, so "expire everything issued so far" needs their ids.
  const issuedJtis = new Set<string>()
  const forcedExpiredJtis = new Set<string>()

  const pairFor = async (sub: string, sid: string, refreshToken: string): Promise<TokenPair> => {
    const { token, claims } = await tokens.sign(sub, sid)
    issuedJtis.add(claims.jti)
    return { accessToken: token, refreshToken, expiresIn: tokens.lifetimeSec, claims }
  }

  const recheckAccess = (claims: AccessClaims): AccessCheck => {
    if (sessions.isRevoked(claims.sid)) return { ok: false, error: 'token_revoked' }
    if (forcedExpiredJtis.has(claims.jti) || claims.exp <= clock.nowSec()) {
      return { ok: false, error: 'token_expired' }
    }
    return { ok: true, claims }
  }

  return {
    login: async (username, password) => {
      if (username !== DEMO_USER.username || password !== DEMO_USER.password) return null
      const { sid, refreshToken } = sessions.open(DEMO_USER.username)
      return pairFor(DEMO_USER.username, sid, refreshToken)
    },
    refresh: async (refreshToken) => {
      if (!refreshToken) return { error: 'invalid_refresh_token' }
      const rotation = sessions.rotate(refreshToken)
      if (!rotation.ok) return { error: rotation.error }
      return pairFor(rotation.sub, rotation.sid, rotation.refreshToken)
    },
    logout: async ({ accessToken, refreshToken }) => {
      const claims = accessToken ? await tokens.verifyIgnoringExpiry(accessToken) : null
      if (claims) sessions.revoke(claims.sid)
      const sid = refreshToken ? sessions.sidOf(refreshToken) : undefined
      if (sid) sessions.revoke(sid)
    },
    checkAccess: async (token) => {
      if (!token) return { ok: false, error: 'missing_token' }
      const verified = await tokens.verify(token)
      if (!verified.ok) {
        return {
          ok: false,
          error: verified.reason === 'expired' ? 'token_expired' : 'invalid_token',
        }
      }
      const check = recheckAccess(verified.claims)
      // A request with a valid access token is the user at work: the session is not idle.
      if (check.ok) sessions.touch(check.claims.sid)
      return check
    },
    recheckAccess,
    revokeSession: (sid) => sessions.revoke(sid),
    expireTokensNow: () => {
      for (const jti of issuedJtis) forcedExpiredJtis.add(jti)
      issuedJtis.clear()
    },
  }
}
