import { randomBytes, randomUUID } from 'node:crypto'
import type { ServerClock } from './clock'

/**
 * Refresh-token families. Every refresh hands out a new token and retires the old one; a retired
 * token presented again means two parties hold the family (a stolen token, or a client that
 * refreshed twice in parallel), so the whole session is revoked, as OAuth 2.0 Security BCP §4.14
 * recommends.
 */
export type RefreshError =
  | 'invalid_refresh_token'
  | 'refresh_token_expired'
  | 'refresh_token_reused'
  | 'session_revoked'

export type Rotation =
  | { ok: true; sid: string; sub: string; refreshToken: string }
  | { ok: false; error: RefreshError }

export interface SessionStore {
  open(sub: string): { sid: string; refreshToken: string }
  rotate(refreshToken: string): Rotation
  sidOf(refreshToken: string): string | undefined
  isRevoked(sid: string): boolean
  /** Revokes one family, or every family when `sid` is omitted. */
  revoke(sid?: string): void
  /** The session was just used with a valid access token: its idle clock starts again. */
  touch(sid: string): void
}

interface Family {
  sub: string
  revoked: boolean
  /** The last sign of the user: login, refresh, or any call with a valid access token. */
  lastSeenAt: number
}

interface RefreshRecord {
  sid: string
  issuedAt: number
  retired: boolean
}

export function createSessionStore(clock: ServerClock, refreshIdleTtlMs: number): SessionStore {
  const families = new Map<string, Family>()
  // Retired tokens stay here for good: forgetting them would turn reuse into "unknown token".
  const refreshTokens = new Map<string, RefreshRecord>()

  const issue = (sid: string) => {
    const token = randomBytes(32).toString('base64url')
    refreshTokens.set(token, { sid, issuedAt: clock.now(), retired: false })
    return token
  }

  const revoke = (sid: string) => {
    const family = families.get(sid)
    if (family) family.revoked = true
  }

  return {
    open: (sub) => {
      const sid = randomUUID()
      families.set(sid, { sub, revoked: false, lastSeenAt: clock.now() })
      return { sid, refreshToken: issue(sid) }
    },
    rotate: (refreshToken) => {
      const record = refreshTokens.get(refreshToken)
      const family = record && families.get(record.sid)
      if (!record || !family) return { ok: false, error: 'invalid_refresh_token' }
      // A dead family stays dead quietly; reuse is reported once, when it kills the family.
      if (family.revoked) return { ok: false, error: 'session_revoked' }
      if (record.retired) {
        revoke(record.sid)
        return { ok: false, error: 'refresh_token_reused' }
      }
      // The server's half of the inactivity timeout counts from the session's last use, not from
      // the last rotation: a client refreshes only once per token lifetime, but every validate
      // and API call in between is the user at work.
      if (clock.now() - family.lastSeenAt >= refreshIdleTtlMs) {
        return { ok: false, error: 'refresh_token_expired' }
      }
      record.retired = true
      family.lastSeenAt = clock.now()
      return { ok: true, sid: record.sid, sub: family.sub, refreshToken: issue(record.sid) }
    },
    sidOf: (refreshToken) => refreshTokens.get(refreshToken)?.sid,
    isRevoked: (sid) => families.get(sid)?.revoked ?? true,
    touch: (sid) => {
      const family = families.get(sid)
      if (family && !family.revoked) family.lastSeenAt = clock.now()
    },
    revoke: (sid) => {
      if (sid !== undefined) return revoke(sid)
      for (const id of families.keys()) revoke(id)
    },
  }
}
