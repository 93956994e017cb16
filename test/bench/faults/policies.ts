import { headlessEnv } from '../../../src/env/browser'
import { HttpError } from '../../../src/errors/HttpError'
import type { AuthStoreOptions } from '../../../src/options'
import type { Transport } from '../../../src/types'

/**
 * The three configurations compared, each a policy of the SAME store (createAuthStore): only
 * options, the environment and a transport wrapper differ.
 */
export interface Policy {
  name: PolicyName
  /** Store options on top of what every simulated session passes (transport, clock, timers…). */
  options: Partial<AuthStoreOptions>
  /** True when the store gets browser events (visibilitychange…); false means a headless env. */
  browserEvents: boolean
  /** Wraps the simulated transport (the boundary) to reproduce how the policy treats errors. */
  wrapTransport: (transport: Transport) => Transport
}

export type PolicyName = 'legacy' | 'window-fix' | 'library'

const unauthorized = (cause?: unknown) =>
  new HttpError(401, 'policy: this failure signs out', { cause })

/** Every rejection becomes a 401: the store's only terminal outcome, i.e. "sign out on any error". */
function everyFailureIs401(transport: Transport): Transport {
  const as401 = (error: unknown): never => {
    throw unauthorized(error)
  }
  const validate = transport.validate
  return {
    ...transport,
    refresh: (session) => transport.refresh(session).catch(as401),
    ...(validate ? { validate: (session) => validate(session).catch(as401) } : {}),
  }
}

/**
 * A validate 401 signs out, as it did in the original app and the first fix. This store asks
 * the refresh token first (src/auth/authSlice.ts: a validate 401 runs a refresh at once, and
 * only the refresh's 401 signs out), so the refresh that follows a validate 401 is answered 401
 * here, without a request.
 */
function validate401IsFinal(transport: Transport): Transport {
  const validate = transport.validate
  if (!validate) return transport
  let refused = false
  return {
    ...transport,
    validate: (session) => {
      refused = false
      return validate(session).catch((error: unknown) => {
        refused = (error as { status?: unknown }).status === 401
        throw error
      })
    },
    refresh: (session) => {
      if (!refused) return transport.refresh(session)
      refused = false
      return Promise.reject(unauthorized())
    },
  }
}

export const POLICIES: readonly Policy[] = [
  {
    // The original app: a 30 s setInterval that validated the token and refreshed it in the
    // last 60 s, signed out on ANY validation or refresh error, never retried, and had no
    // wake-up handling.
    name: 'legacy',
    options: {
      tickMs: 30_000,
      refreshWindowMs: 60_000,
      // A plain interval: it checked on every tick, whatever had just happened.
      validateEveryTick: true,
      // No retry: a failure never reaches the backoff (the wrapper makes it a 401), and were it
      // to, the next attempt would be the next regular tick, in the refresh window too.
      retry: { initialDelayMs: 30_000, factor: 1, jitter: 0, urgentMaxDelayMs: 30_000 },
    },
    // No listeners: no catch-up on visibilitychange/focus/online.
    browserEvents: false,
    wrapTransport: (transport) => validate401IsFinal(everyFailureIs401(transport)),
  },
  {
    // The first fix: 60 s checks, a 5-minute window, sign out only on a 401 (the store's own
    // rule), a failed request retried on the next tick only, and no catch-up on wake.
    name: 'window-fix',
    options: {
      tickMs: 60_000,
      refreshWindowMs: 300_000,
      // "60 s checks": a check on every tick, the one after a refresh too. (Until 2026-11-28
      // this bench let it skip that check, a saving only this library makes.)
      validateEveryTick: true,
      // `urgentMaxDelayMs` too: the store otherwise retries a due refresh every 15 s.
      retry: { initialDelayMs: 60_000, factor: 1, jitter: 0, urgentMaxDelayMs: 60_000 },
    },
    browserEvents: false,
    wrapTransport: validate401IsFinal,
  },
  {
    // This library with its defaults: 60 s ticks, 5-minute window, exponential backoff from
    // 1 s with jitter while the token is due (at most 15 s apart; a failed validation waits
    // for the next tick), no validation right after a refresh, catch-up on
    // visibilitychange/focus/online, a validate 401 settled by the refresh token.
    name: 'library',
    options: {},
    browserEvents: true,
    wrapTransport: (transport) => transport,
  },
]

export const policyNamed = (name: PolicyName): Policy => {
  const policy = POLICIES.find((candidate) => candidate.name === name)
  if (!policy) throw new Error(`unknown policy ${name}`)
  return policy
}

/** The env a headless policy gets: no events, always visible. */
export const noEvents = headlessEnv
