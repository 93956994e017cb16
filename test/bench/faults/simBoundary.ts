import type { Timers } from '../../../src/env/timers'
import { HttpError } from '../../../src/errors/HttpError'
import { NetworkError } from '../../../src/errors/NetworkError'
import type { Session, TokenSet, Transport } from '../../../src/types'
import type { EventQueue } from '../lib/eventQueue'
import { type Rng, uniform } from '../lib/random'
import { drawLatency, type SessionPlan, THROTTLED_TIMER_MS, within } from './faultModel'
import { type createSimServer, UNAUTHORIZED } from './simServer'

export type RequestKind = 'validate' | 'refresh'

interface TransportDeps {
  queue: EventQueue
  plan: SessionPlan
  server: ReturnType<typeof createSimServer>
  failureRate: number
  rng: Rng
  /** Time since the session started, ms (the plan's time base). */
  elapsed: () => number
  onSent: (kind: RequestKind) => void
  onGranted: (kind: RequestKind) => void
  /** The server answered 401 to a request sent while `sentIn` was the current sign-in. */
  onUnauthorized: (sentIn: number) => void
  /** The current sign-in, counted from 1. */
  signIn: () => number
  trace?: ((line: string) => void) | undefined
}

/**
 * The store's network boundary, simulated: each request reaches the server halfway through its
 * latency, unless it fails first (outage, or the fault level's coin); its answer reaches the
 * client at the end (later, if the client sleeps then: the driver defers client events).
 */
export function createSimTransport(deps: TransportDeps): Transport {
  const { queue, plan, rng } = deps
  const request = <T>(kind: RequestKind, handle: () => T | typeof UNAUTHORIZED) =>
    new Promise<T>((resolve, reject) => {
      deps.onSent(kind)
      const latency = drawLatency(rng)
      deps.trace?.(`${kind} sent, latency ${Math.round(latency)} ms`)
      const fails = rng() < deps.failureRate
      const dropped = rng() < 0.5
      const sentIn = deps.signIn()
      let answer: { ok: true; value: T } | { ok: false; error: Error } | undefined
      const arrival = queue.after(latency / 2, () => {
        if (within(plan.outages, deps.elapsed())) {
          answer = { ok: false, error: new NetworkError('connect ECONNREFUSED') }
        } else if (fails) {
          answer = {
            ok: false,
            error: dropped
              ? new NetworkError('socket hang up')
              : new HttpError(503, 'Request failed with status code 503'),
          }
        } else {
          const value = handle()
          if (value === UNAUTHORIZED) {
            deps.onUnauthorized(sentIn)
            answer = { ok: false, error: new HttpError(401, 'Request failed with status code 401') }
          } else {
            deps.onGranted(kind)
            answer = { ok: true, value }
          }
        }
      })
      // The server's half runs even while the client sleeps, and starts no promise chain.
      arrival.server = true
      arrival.sync = true
      queue.after(latency, () => {
        deps.trace?.(`${kind} answered: ${answer?.ok ? 'ok' : answer?.error.message}`)
        if (answer?.ok) resolve(answer.value)
        else reject(answer?.error ?? new Error('unanswered'))
      })
    })

  return {
    refresh: (session: Session) =>
      request<TokenSet>('refresh', () => deps.server.refresh(session.refreshToken)),
    validate: (session: Session) =>
      request<void>('validate', () =>
        deps.server.validate(session.accessToken) === UNAUTHORIZED ? UNAUTHORIZED : undefined,
      ),
  }
}

/**
 * The store's timers, with background-tab throttling: a timer set in a throttled phase fires
 * after at least 1–5 minutes (whatever it asked for), like Chrome's intensive throttling.
 */
export function createThrottledTimers(deps: {
  queue: EventQueue
  plan: SessionPlan
  rng: Rng
  /** Whether throttling applies now (the active phase; the idle hour is not throttled). */
  throttling: () => boolean
  elapsed: () => number
}): Timers {
  return {
    setTimeout: (callback, ms) => {
      const throttled = deps.throttling() && within(deps.plan.throttled, deps.elapsed())
      const delay = throttled
        ? Math.max(ms, uniform(deps.rng, THROTTLED_TIMER_MS.min, THROTTLED_TIMER_MS.max))
        : ms
      return deps.queue.timers.setTimeout(callback, delay)
    },
    clearTimeout: deps.queue.timers.clearTimeout,
  }
}
