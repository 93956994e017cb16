import type { ActivityTracker } from '../auth/activity'
import type { AuthSlice } from '../auth/authState'
import type { TimerHandle } from '../env/timers'
import { warn } from '../env/warn'
import type { AuthRuntime } from '../runtime'
import { backoffDelay, retryAfterDelay } from './backoff'

/** Events after which a tab may have slept, been frozen or been offline. */
const CATCH_UP_EVENTS = ['visibilitychange', 'focus', 'online', 'pageshow']
/** Catch-up events closer together than this run one tick. */
const CATCH_UP_DEBOUNCE_MS = 1_000

/**
 * - regular: the timer fired on time; validate unless an API call proved the session already.
 * - wake: after sleep, throttling or going offline; always check with the server.
 * - catchUp: a tab came back soon after its last tick; only the idle timeout and the refresh window.
 */
type TickMode = 'regular' | 'wake' | 'catchUp'

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
  // The session retries on the backoff only while its token is due (see nextDelay).
  const urgentRetry = {
    ...config.retry,
    maxDelayMs: Math.min(config.retry.maxDelayMs, config.retry.urgentMaxDelayMs),
  }
  let running = false
  let timer: TimerHandle | null = null
  let ticking: Promise<void> | null = null
  let unsubscribe: (() => void) | null = null
  let failures = 0
  let retryAfterMs: number | undefined
  let lastTickAt: number | null = null
  let refreshedLastTick = false
  let lastCatchUpAt = Number.NEGATIVE_INFINITY
  let stopListening: (() => void) | null = null

  const signedIn = () => getState().status !== 'signedOut'

  const clearTimer = () => {
    // Stryker disable next-line ConditionalExpression: clearing no timer is a no-op anyway
    if (timer !== null) config.timers.clearTimeout(timer)
    timer = null
  }

  // The activity tracker exists once the store is built, before any tick: `?.` only keeps the
  // scheduler safe should a slice ever be created without one.
  /** The time the idle timeout counts from: the newest activity, written or not. */
  const idleReference = () =>
    // Stryker disable next-line OptionalChaining,LogicalOperator: see above; the tracker is there
    activity()?.idleReference() ?? getState().lastActivityAt

  /** Signs out when the user has been idle for `idleTimeoutMs`; true when it did. */
  const signOutIfIdle = async (): Promise<boolean> => {
    // Stryker disable next-line OptionalChaining: the tracker is there (see idleReference)
    activity()?.flush()
    if (config.now() - idleReference() < config.idleTimeoutMs) return false
    await getState().logout('idle')
    // Stryker disable next-line BooleanLiteral: signed out, refresh() and validate() send nothing
    return true
  }

  /**
   * One timer: the next tick, or the idle deadline when that comes first, so the idle sign-out
   * is on time even when retries or slow requests stretch the period between ticks.
   */
  const schedule = (delayMs: number) => {
    clearTimer()
    if (!running || !signedIn()) return
    const now = config.now()
    const due = now + delayMs
    const untilIdle = idleReference() + config.idleTimeoutMs - now
    // Stryker disable next-line EqualityOperator: at equality the tick signs out idle first anyway
    const idleFirst = untilIdle < delayMs
    timer = config.timers.setTimeout(
      () => {
        timer = null
        if (idleFirst) {
          // Signed out, this schedules nothing; not idle after all (activity since), it goes
          // back to the tick that was due. A tick running meanwhile reschedules when it ends.
          void signOutIfIdle().then(() => schedule(Math.max(0, due - config.now())))
          return
        }
        // A timer that fires far later than it was due slept (a closed laptop, a frozen or
        // throttled background tab): treat the tick as a wake-up and check with the server.
        const woke = config.now() - due > config.tickMs
        // Stryker disable next-line StringLiteral: any mode but 'wake' and 'catchUp' is a regular tick
        void runTick(woke ? 'wake' : 'regular')
      },
      idleFirst ? Math.max(0, untilIdle) : delayMs,
    )
  }

  /** Inside the refresh window (or past expiry) a failed refresh is retried sooner. */
  const tokenIsDue = () => {
    const { expiresAt } = getState()
    // Stryker disable next-line ConditionalExpression: null - now <= window is true as well
    return expiresAt === null || expiresAt - config.now() <= config.refreshWindowMs
  }

  /**
   * After a transient failure: while the token is due, a backoff (1 s, doubling, up to
   * `urgentMaxDelayMs`) so the session recovers within seconds of the server coming back.
   * Otherwise the next regular tick (or a longer Retry-After): the token still works, so a
   * sooner retry of a failed validation would only add load to a server that is struggling.
   */
  const nextDelay = () => {
    if (tokenIsDue()) {
      return backoffDelay(failures, urgentRetry, config.random, retryAfterMs)
    }
    return Math.max(config.tickMs, retryAfterDelay(retryAfterMs, config.retry.maxRetryAfterMs))
  }

  /** True when an authenticated response since the last tick already proved the session valid. */
  const provenSinceLastTick = () =>
    failures === 0 &&
    (runtime.lastProvenValidAt ?? Number.NEGATIVE_INFINITY) >
      (lastTickAt ?? Number.POSITIVE_INFINITY)

  const tick = async (mode: TickMode) => {
    if (!signedIn() || (await signOutIfIdle())) return
    const state = getState()
    // Never overlap a refresh in flight (one started by an API call's 401, say).
    // Stryker disable next-line ConditionalExpression: refresh() would join it, validate() skips
    if (runtime.refreshFlight.inFlight()) return
    if (tokenIsDue()) {
      // A token the server has just issued needs no validation on the next tick.
      refreshedLastTick = await state.refresh()
      return
    }
    const justRefreshed = refreshedLastTick
    refreshedLastTick = false
    if (!config.transport.validate || mode === 'catchUp') return
    const provenAlready = !config.validateEveryTick && (justRefreshed || provenSinceLastTick())
    if (mode === 'wake' || !provenAlready) await state.validate()
  }

  // Stryker disable next-line StringLiteral: any mode but 'wake' and 'catchUp' is a regular tick
  const runTick = (mode: TickMode = 'regular'): Promise<void> => {
    // Stryker disable next-line ConditionalExpression: a second tick's requests would join the first's (single-flight)
    if (ticking) return ticking
    const startedAt = config.now()
    ticking = (async () => {
      try {
        await tick(mode)
      } catch (error) {
        // Nothing may throw out of a timer: a bug here must not stop the session.
        warn('a scheduler tick failed', error)
      } finally {
        lastTickAt = config.now()
        ticking = null
        // The period counts from the tick's start: a slow request must not push every later
        // tick (and so the idle sign-out) back by its latency.
        schedule(failures > 0 ? nextDelay() : Math.max(0, startedAt + config.tickMs - lastTickAt))
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
      // A failure outside a tick (an API call's refresh, say) still gets its retry on time;
      // when the token is not due, the regular tick already scheduled is that retry.
      if (!ticking && tokenIsDue()) schedule(nextDelay())
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

  /**
   * A tab coming back (visible, focused, online, restored from the back/forward cache) checks
   * at once instead of up to a tick later: a token that expired while it slept is refreshed in
   * one round trip. Bursts (focus and visibilitychange together) run one tick; a tick that is
   * not overdue does not validate again.
   */
  const catchUp = (reason: string) => {
    if (!signedIn() || config.env.visibility() === 'hidden') return
    const now = config.now()
    if (now - lastCatchUpAt < CATCH_UP_DEBOUNCE_MS) return
    lastCatchUpAt = now
    const overdue = now - (lastTickAt ?? Number.NEGATIVE_INFINITY) >= config.tickMs
    void runTick(overdue || reason === 'online' ? 'wake' : 'catchUp')
  }

  const listenForCatchUp = () => {
    const cleanups = CATCH_UP_EVENTS.map((type) =>
      config.env.addEventListener(type, () => catchUp(type)),
    )
    return () => {
      for (const cleanup of cleanups) cleanup()
    }
  }

  return {
    start() {
      if (running) return
      running = true
      runtime.outcomes.add(outcomeListener)
      unsubscribe = subscribe(onStateChange)
      stopListening = listenForCatchUp()
      // A session that is already here (rehydrated) may have expired or idled while the app
      // was closed: check it at once rather than a tick later.
      schedule(0)
    },
    stop() {
      running = false
      clearTimer()
      unsubscribe?.()
      unsubscribe = null
      stopListening?.()
      stopListening = null
      runtime.outcomes.delete(outcomeListener)
    },
    tickNow: () => runTick(),
    isRunning: () => running,
  }
}
