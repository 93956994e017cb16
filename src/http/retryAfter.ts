const DELAY_SECONDS = /^\d+$/
// Every HTTP-date form starts with a day name; `Date.parse` alone would take '-5' or '1.5'.
const HTTP_DATE = /^[a-z]{3,9},?\s/i

/**
 * Milliseconds to wait from a `Retry-After` header (RFC 9110 §10.2.3): delay-seconds, or an
 * HTTP-date. A date is measured against the response's own `Date` header when it has one, so
 * a client clock that is minutes off does not turn "in 30 s" into "now" or "in 10 min".
 * Undefined when the header is missing or unreadable; never negative.
 */
export function parseRetryAfter(
  retryAfter: unknown,
  now: number,
  serverDate?: unknown,
): number | undefined {
  if (typeof retryAfter !== 'string') return undefined
  const value = retryAfter.trim()
  if (DELAY_SECONDS.test(value)) return Number(value) * 1000
  const retryAt = HTTP_DATE.test(value) ? Date.parse(value) : Number.NaN
  if (Number.isNaN(retryAt)) return undefined
  const serverNow = typeof serverDate === 'string' ? Date.parse(serverDate) : Number.NaN
  return Math.max(0, retryAt - (Number.isNaN(serverNow) ? now : serverNow))
}
