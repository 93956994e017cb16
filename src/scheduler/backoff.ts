export interface RetryOptions {
  /** Delay before the first retry after a transient failure. @default 1_000 */
  initialDelayMs?: number
  /** Each further retry waits this many times longer. @default 2 */
  factor?: number
  /** Longest wait between retries. @default tickMs */
  maxDelayMs?: number
  /** Spread each delay by up to ± this fraction, so many clients do not retry in step. @default 0.2 */
  jitter?: number
}

export type ResolvedRetryOptions = Required<RetryOptions>

/**
 * Delay before retry number `attempt` (1-based): `initial * factor^(attempt-1)`, capped, with
 * jitter, and never shorter than what the server asked for in `Retry-After`.
 * (TanStack Query's retryer: `Math.min(1000 * 2 ** n, 30_000)`; ky adds the jitter and Retry-After.)
 */
export function backoffDelay(
  attempt: number,
  options: ResolvedRetryOptions,
  random: () => number,
  retryAfterMs?: number,
): number {
  const exponent = Math.max(0, attempt - 1)
  const base = Math.min(options.initialDelayMs * options.factor ** exponent, options.maxDelayMs)
  const spread = base * options.jitter * (random() * 2 - 1)
  // Capped after the jitter too, so a retry never waits longer than a regular tick would.
  const delay = Math.min(options.maxDelayMs, Math.max(0, Math.round(base + spread)))
  return retryAfterMs !== undefined && retryAfterMs > delay ? retryAfterMs : delay
}
