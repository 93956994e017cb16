/**
 * Retry timing after a transient failure. The session retries on this backoff only while its
 * token is due for refresh; a failed validation of a token that still works waits for the
 * next tick (src/scheduler/tickLoop.ts).
 */
export interface RetryOptions {
  /** Delay before the first retry after a transient failure. @default 1_000 */
  initialDelayMs?: number
  /** Each further retry waits this many times longer. @default 2 */
  factor?: number
  /** Longest wait between retries. @default tickMs */
  maxDelayMs?: number
  /**
   * Longest wait between retries while the token is inside its refresh window or expired: the
   * session is at stake, so it recovers within seconds of the server coming back, at about
   * four requests a minute. @default min(15_000, maxDelayMs)
   */
  urgentMaxDelayMs?: number
  /** A server's `Retry-After` is honoured up to this long. @default refreshWindowMs */
  maxRetryAfterMs?: number
  /** Spread each delay by up to ± this fraction, so many clients do not retry in step. @default 0.2 */
  jitter?: number
}

export type ResolvedRetryOptions = Required<RetryOptions>

/** What a backoff needs; the Retry-After cap is optional (sockets have none). */
export type BackoffOptions = Pick<
  ResolvedRetryOptions,
  'initialDelayMs' | 'factor' | 'maxDelayMs' | 'jitter'
> &
  Partial<Pick<ResolvedRetryOptions, 'maxRetryAfterMs'>>

/**
 * Delay before retry number `attempt` (1-based): `initial * factor^(attempt-1)`, capped, with
 * jitter, and never shorter than what the server asked for in `Retry-After`.
 * (TanStack Query's retryer: `Math.min(1000 * 2 ** n, 30_000)`; ky adds the jitter and Retry-After.)
 */
export function backoffDelay(
  attempt: number,
  options: BackoffOptions,
  random: () => number,
  retryAfterMs?: number,
): number {
  const cap = options.maxDelayMs
  const exponent = Math.max(0, attempt - 1)
  const base = Math.min(options.initialDelayMs * options.factor ** exponent, cap)
  const spread = base * options.jitter * (random() * 2 - 1)
  // Capped after the jitter too, so a retry never waits longer than the cap promises.
  const delay = Math.min(cap, Math.max(0, Math.round(base + spread)))
  return Math.max(delay, retryAfterDelay(retryAfterMs, options.maxRetryAfterMs))
}

/**
 * The pause a server asked for in `Retry-After`, within reason: an hour's Retry-After must not
 * leave a session without a token for an hour. 0 when it asked for none.
 */
export function retryAfterDelay(
  retryAfterMs: number | undefined,
  maxRetryAfterMs = Number.POSITIVE_INFINITY,
): number {
  return retryAfterMs === undefined ? 0 : Math.min(retryAfterMs, maxRetryAfterMs)
}
