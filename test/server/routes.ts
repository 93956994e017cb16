import type { IncomingMessage, ServerResponse } from 'node:http'
import type { Authority, TokenPair } from './authority'
import type { Counters } from './counters'
import { bearerToken, readJsonBody, sendEmpty, sendJson } from './http'
import { clearRefreshCookie, readRefreshCookie, setRefreshCookie } from './refreshCookie'

/** The auth backend's HTTP API, keyed by route key (`'POST /auth/refresh'`). */
export type RouteHandler = (req: IncomingMessage, res: ServerResponse) => Promise<void>

export interface RouteDependencies {
  authority: Authority
  counters: Counters
  refreshTokenIdleTtlMs: number
}

export function createRoutes(deps: RouteDependencies): Record<string, RouteHandler> {
  const { authority, counters } = deps

  const sendPair = (res: ServerResponse, pair: TokenPair) => {
    setRefreshCookie(res, pair.refreshToken, deps.refreshTokenIdleTtlMs)
    sendJson(res, 200, {
      access_token: pair.accessToken,
      refresh_token: pair.refreshToken,
      expires_in: pair.expiresIn,
      token_type: 'Bearer',
    })
  }

  const withAccess = async (req: IncomingMessage, res: ServerResponse) => {
    const check = await authority.checkAccess(bearerToken(req))
    if (check.ok) return check.claims
    // RFC 6750 §3: name the problem, except to a request that sent no credentials at all.
    const challenge =
      check.error === 'missing_token'
        ? 'Bearer'
        : `Bearer error="invalid_token", error_description="${check.error}"`
    res.setHeader('WWW-Authenticate', challenge)
    sendJson(res, 401, { error: check.error })
    return null
  }

  return {
    'POST /auth/login': async (req, res) => {
      const body = await readJsonBody(req)
      const pair = await authority.login(body.username, body.password)
      if (!pair) return sendJson(res, 401, { error: 'invalid_credentials' })
      sendPair(res, pair)
    },
    'POST /auth/refresh': async (req, res) => {
      const body = await readJsonBody(req)
      // The body wins over the cookie: a client that sends one knows which token it means.
      const fromBody = typeof body.refresh_token === 'string' ? body.refresh_token : undefined
      const result = await authority.refresh(fromBody ?? readRefreshCookie(req))
      if ('accessToken' in result) return sendPair(res, result)
      if (result.error === 'refresh_token_reused') counters.increment('refresh:reuse')
      clearRefreshCookie(res)
      sendJson(res, 401, { error: result.error })
    },
    'GET /auth/validate': async (req, res) => {
      const claims = await withAccess(req, res)
      if (claims) sendJson(res, 200, { sub: claims.sub, exp: claims.exp })
    },
    'POST /auth/logout': async (req, res) => {
      const body = await readJsonBody(req)
      const fromBody = typeof body.refresh_token === 'string' ? body.refresh_token : undefined
      await authority.logout({
        accessToken: bearerToken(req),
        refreshToken: fromBody ?? readRefreshCookie(req),
      })
      clearRefreshCookie(res)
      sendEmpty(res, 204)
    },
    'GET /api/me': async (req, res) => {
      const claims = await withAccess(req, res)
      if (claims) sendJson(res, 200, { username: claims.sub })
    },
  }
}
