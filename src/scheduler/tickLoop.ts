import type { ActivityTracker } from '../auth/activity'
import type { AuthSlice } from '../auth/authState'
import type { TimerHandle } from '../env/timers'
import { warn } from '../env/warn'
import type { AuthRuntime } from '../runtime'
import { backoffDelay } from './backoff'

/** Scheduler controls, on the store as `useAuthStore.scheduler` (like `store.persist`). */
export interface SchedulerApi {
  /** Starts ticking (and runs a catch-up tick at once when a session is already there). Idempotent. */
  start(): void
  /** Stops ticking and clears the timer. Idempotent. */
  stop(): void
  /** Runs one tick now (shares a tick already running) and reschedules the next. */
  tickNow(): Promise<void>
  isRunning(): boolean
}

export interface TickLoopDeps {
  runtime: AuthRuntime
  getState: () => AuthSlice
  subscribe: (listener: (state: AuthSlice, previous: AuthSlice) => void) => () => void
  activity: () => ActivityTracker | undefined
}

/**
 * One timer, rescheduled after each tick: `tickMs` when healthy, the backoff delay after a
 * transient failure. A chained timeout rather than an interval, so a slow tick never overlaps
 * the next one and a retry can come sooner than a regular tick.
 */
export function createTickLoop({
  runtime,
  getState,
  subscribe,
  activity,
}: TickLoopDeps): SchedulerApi {
  const { config } = runtime
  let running = false
  let timer: TimerHandle | null = null
  let ticking: Promise<void> | null = null
  let unsubscribe: (() => void) | null = null
  let failures = 0
  let retryAfterMs: number | undefined
  let lastTickAt: number | null = null

  const signedIn = () => getState().status !== 'signedOut'

  const clearTimer = () => {
    if (timer !== null) config.timers.clearTimeout(timer)
    timer = null
  }

  const schedule = (delayMs: number) => {
    clearTimer()
    if (!running || !signedIn()) return
    timer = config.timers.setTimeout(() => {
      timer = null
      void runTick()
    }, delayMs)
  }

  const nextDelay = () =>
    failures > 0 ? backoffDelay(failures, config.retry, config.random, retryAfterMs) : config.tickMs

  /** True when an authenticated response since the last tick already proved the session valid. */
  const provenSinceLastTick = () =>
    failures === 0 &&
    lastTickAt !== null &&
    runtime.lastProvenValidAt !== null &&
    runtime.lastProvenValidAt > lastTickAt

  const tick = async () => {
    if (!signedIn()) return
    activity()?.flush()
    const now = config.now()
    const state = getState()
    if (now - state.lastActivityAt >= config.idleTimeoutMs) {
      await state.logout('idle')
      return
    }
    // Never overlap a refresh in flight (one started by an API call's 401, say).
    if (runtime.refreshFlight.inFlight()) return
    if (state.expiresAt === null || state.expiresAt - now <= config.refreshWindowMs) {
      await state.refresh()
      return
    }
    if (config.transport.validate && !provenSinceLastTick()) await state.validate()
  }

  const runTick = (): Promise<void> => {
    if (ticking) return ticking
    ticking = (async () => {
      try {
        await tick()
      } catch (error) {
        // Nothing may throw out of a timer: a bug here must not stop the session.
        warn('a scheduler tick failed', error)
      } finally {
        lastTickAt = config.now()
        ticking = null
        schedule(nextDelay())
      }
    })()
    return ticking
  }

  const outcomeListener = {
    onSuccess() {
      failures = 0
      retryAfterMs = undefined
    },
    onTransientFailure(error: { retryAfterMs?: number }) {
      failures += 1
      retryAfterMs = error.retryAfterMs
      // A failure outside a tick (an API call's refresh, say) still gets its retry on time.
      if (!ticking) schedule(nextDelay())
    },
  }

  const onStateChange = (state: AuthSlice, previous: AuthSlice) => {
    const wasSignedIn = previous.status !== 'signedOut'
    const isSignedIn = state.status !== 'signedOut'
    if (isSignedIn && !wasSignedIn) {
      failures = 0
      retryAfterMs = undefined
      lastTickAt = config.now()
      schedule(config.tickMs)
    } else if (!isSignedIn && wasSignedIn) {
      clearTimer()
    }
  }

  return {
    start() {
      if (running) return
      running = true
      runtime.outcomes.add(outcomeListener)
      unsubscribe = subscribe(onStateChange)
      // A session that is already here (rehydrated) may have expired or idled while the app
      // was closed: check it at once rather than a tick later.
      schedule(0)
    },
    stop() {
      running = false
      clearTimer()
      unsubscribe?.()
      unsubscribe = null
      runtime.outcomes.delete(outcomeListener)
    },
    tickNow: runTick,
    isRunning: () => running,
  }
}
