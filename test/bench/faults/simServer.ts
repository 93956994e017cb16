import { createServerClock } from '../../server/clock'
import { createSessionStore } from '../../server/sessions'
import { makeJwt } from '../../utils/jwt'
import { HOUR } from './faultModel'

export const UNAUTHORIZED = Symbol('401')

interface AccessClaims {
  sid: string
  iat: number
  exp: number
}

export interface SimTokenPair {
  accessToken: string
  refreshToken: string
}

/**
 * The reference backend's auth rules without HTTP: 60-minute access JWTs with `iat`/`exp`, and
 * the reference backend's own refresh-token store (test/server/sessions.ts): rotation on every
 * refresh, reuse detection, and a 60-minute idle TTL counted from the session's last use (a
 * login, a refresh, or a validation with a valid access token). It answers 401 only when those
 * rules say so. Tokens are unsigned (the store never
 * checks signatures); a token is genuine when this server issued it.
 */
export function createSimServer(now: () => number, accessTokenTtlMs = HOUR) {
  const clock = createServerClock(now, 0)
  const sessions = createSessionStore(clock, HOUR)
  const issued = new Map<string, AccessClaims>()
  let jti = 0

  const pair = (sid: string, refreshToken: string): SimTokenPair => {
    const iat = clock.nowSec()
    const claims = { sid, iat, exp: iat + accessTokenTtlMs / 1000 }
    jti += 1
    const accessToken = makeJwt({ sub: 'demo', ...claims, jti: `a${jti}` })
    issued.set(accessToken, claims)
    return { accessToken, refreshToken }
  }

  return {
    login(): SimTokenPair {
      const { sid, refreshToken } = sessions.open('demo')
      return pair(sid, refreshToken)
    },
    refresh(refreshToken: string | undefined): SimTokenPair | typeof UNAUTHORIZED {
      if (!refreshToken) return UNAUTHORIZED
      const rotation = sessions.rotate(refreshToken)
      return rotation.ok ? pair(rotation.sid, rotation.refreshToken) : UNAUTHORIZED
    },
    validate(accessToken: string): true | typeof UNAUTHORIZED {
      const claims = issued.get(accessToken)
      if (!claims || claims.exp <= clock.nowSec() || sessions.isRevoked(claims.sid)) {
        return UNAUTHORIZED
      }
      sessions.touch(claims.sid)
      return true
    },
  }
}
