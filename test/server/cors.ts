import type { IncomingMessage, ServerResponse } from 'node:http'

/**
 * CORS for the Storybook playground and browser tests, which run on another origin. The allowed
 * Origin is echoed rather than `*` because credentialed requests (the refresh cookie) forbid `*`.
 */
export type CorsOrigins = readonly string[] | '*'

const ALLOWED_METHODS = 'GET, POST, OPTIONS'
const DEFAULT_ALLOWED_HEADERS = 'Authorization, Content-Type'
// Browser clients need Retry-After to honour 429/503 backoff; it is not CORS-safelisted.
const EXPOSED_HEADERS = 'Retry-After'
const PREFLIGHT_MAX_AGE_SEC = 600

/** Adds CORS headers; returns true when it answered a preflight, which then needs nothing else. */
export function applyCors(
  req: IncomingMessage,
  res: ServerResponse,
  origins: CorsOrigins,
): boolean {
  const origin = req.headers.origin
  res.setHeader('Vary', 'Origin')
  const allowed = origin !== undefined && (origins === '*' || origins.includes(origin))
  if (allowed) {
    res.setHeader('Access-Control-Allow-Origin', origin)
    res.setHeader('Access-Control-Allow-Credentials', 'true')
    res.setHeader('Access-Control-Expose-Headers', EXPOSED_HEADERS)
  }
  const isPreflight =
    req.method === 'OPTIONS' && req.headers['access-control-request-method'] !== undefined
  if (!isPreflight) return false
  if (allowed) {
    res.setHeader('Access-Control-Allow-Methods', ALLOWED_METHODS)
    res.setHeader(
      'Access-Control-Allow-Headers',
      req.headers['access-control-request-headers'] ?? DEFAULT_ALLOWED_HEADERS,
    )
    res.setHeader('Access-Control-Max-Age', String(PREFLIGHT_MAX_AGE_SEC))
  }
  res.writeHead(204)
  res.end()
  return true
}
