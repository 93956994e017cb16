import type { IncomingMessage, ServerResponse } from 'node:http'
import { sendJson } from './http'
import type { Random } from './random'

/** Injected trouble for HTTP requests: latency and failures, so clients' retries can be tested. */
export type Latency = number | { minMs: number; maxMs: number }

/** 'drop' destroys the socket without a response, as a crashed proxy would. */
export type FailureMode = 'drop' | 500 | 503 | 429

export interface FailureSpec {
  /** Probability in [0, 1] that a matching request fails. */
  rate: number
  mode: FailureMode
  /** Sent as `Retry-After` with 429 and 503. */
  retryAfterSec?: number
  /** Route keys such as `'POST /auth/refresh'`; every route when omitted. */
  routes?: string[]
  /** Reseeds the PRNG so a rate below 1 fails the same requests on every run. */
  seed?: number
}

export interface Faults {
  setLatency(latency: Latency): void
  setFailure(failure: FailureSpec | null): void
  nextLatencyMs(): number
  /** Rolls the dice for one request; the failure to inject, or null to serve it normally. */
  nextFailure(routeKey: string): FailureSpec | null
}

const FAILURE_MODES: readonly unknown[] = ['drop', 500, 503, 429]

const STATUS_ERRORS: Record<Exclude<FailureMode, 'drop'>, string> = {
  500: 'internal_error',
  503: 'service_unavailable',
  429: 'rate_limited',
}

export function createFaults(random: Random): Faults {
  let latency: Latency = 0
  let failure: FailureSpec | null = null

  return {
    setLatency: (next) => {
      latency = validateLatency(next)
    },
    setFailure: (next) => {
      failure = next === null ? null : validateFailure(next)
      if (failure?.seed !== undefined) random.reseed(failure.seed)
    },
    nextLatencyMs: () => {
      if (typeof latency === 'number') return latency
      return latency.minMs + Math.round(random.next() * (latency.maxMs - latency.minMs))
    },
    nextFailure: (routeKey) => {
      if (!failure) return null
      if (failure.routes && !failure.routes.includes(routeKey)) return null
      return random.next() < failure.rate ? failure : null
    },
  }
}

export function respondWithFailure(
  req: IncomingMessage,
  res: ServerResponse,
  failure: FailureSpec,
): void {
  if (failure.mode === 'drop') {
    req.socket.destroy()
    return
  }
  const carriesRetryAfter = failure.mode === 503 || failure.mode === 429
  if (carriesRetryAfter && failure.retryAfterSec !== undefined) {
    res.setHeader('Retry-After', String(failure.retryAfterSec))
  }
  sendJson(res, failure.mode, { error: STATUS_ERRORS[failure.mode] })
}

function validateLatency(latency: Latency): Latency {
  if (typeof latency === 'number') {
    if (!(latency >= 0)) throw new TypeError('latency must be a number of ms >= 0')
    return latency
  }
  const { minMs, maxMs } = latency ?? {}
  if (!(minMs >= 0 && maxMs >= minMs)) throw new TypeError('latency needs 0 <= minMs <= maxMs')
  return { minMs, maxMs }
}

function validateFailure(failure: FailureSpec): FailureSpec {
  if (!(failure.rate >= 0 && failure.rate <= 1)) throw new TypeError('failure rate must be 0..1')
  if (!FAILURE_MODES.includes(failure.mode)) {
    throw new TypeError(`failure mode must be one of ${FAILURE_MODES.join(', ')}`)
  }
  return { ...failure, routes: failure.routes ? [...failure.routes] : undefined }
}
