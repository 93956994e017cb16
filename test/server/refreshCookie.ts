import type { IncomingMessage, ServerResponse } from 'node:http'
import { readCookie } from './http'

/**
 * The refresh token also travels as an httpOnly cookie, the way browser apps keep it out of
 * reach of scripts. Path=/auth keeps it off API calls; SameSite=Strict stops cross-site posts.
 */
const COOKIE_NAME = 'refresh_token'
const COOKIE_ATTRIBUTES = 'HttpOnly; Path=/auth; SameSite=Strict'

export function readRefreshCookie(req: IncomingMessage): string | undefined {
  return readCookie(req, COOKIE_NAME) || undefined
}

export function setRefreshCookie(res: ServerResponse, token: string, maxAgeMs: number): void {
  const maxAgeSec = Math.max(1, Math.floor(maxAgeMs / 1000))
  res.setHeader(
    'Set-Cookie',
    `${COOKIE_NAME}=${encodeURIComponent(token)}; ${COOKIE_ATTRIBUTES}; Max-Age=${maxAgeSec}`,
  )
}

export function clearRefreshCookie(res: ServerResponse): void {
  res.setHeader('Set-Cookie', `${COOKIE_NAME}=; ${COOKIE_ATTRIBUTES}; Max-Age=0`)
}
