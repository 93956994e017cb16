import { type RefreshCoordinator, soloCoordinator } from './auth/refreshCoordinator'
import { createSingleFlight, type SingleFlight } from './auth/singleFlight'
import { type AuthEnv, browserEnv } from './env/browser'
import { type Clock, systemClock } from './env/clock'
import { defaultTimers, type Timers } from './env/timers'
import type { AuthStoreOptions } from './options'
import type { ResolvedRetryOptions } from './scheduler/backoff'
import type { AuthErrorState, Transport } from './types'

export interface ResolvedConfig {
  transport: Transport<unknown>
  tickMs: number
  refreshWindowMs: number
  validateEveryTick: boolean
  idleTimeoutMs: number
  activityThrottleMs: number
  storageKey: string
  now: Clock
  retry: ResolvedRetryOptions
  timers: Timers
  env: AuthEnv
  random: () => number
}

/** What a request's outcome tells the scheduler: it owns the retry timing. */
export interface OutcomeListener {
  onSuccess(): void
  onTransientFailure(error: AuthErrorState): void
}

/**
 * The per-store state that is not store state: it must not reach devtools or cause renders.
 * Created once in `createAuthStore` and handed to the slices and the scheduler.
 */
export interface AuthRuntime {
  config: ResolvedConfig
  /** Bumped on every login and sign-out: a response for an older epoch is ignored. */
  epoch: number
  /** When an authenticated request last proved the session valid (piggyback validation). */
  lastProvenValidAt: number | null
  refreshFlight: SingleFlight<boolean>
  validateFlight: SingleFlight<void>
  outcomes: Set<OutcomeListener>
  /** Cleanups run by `store.dispose()` (sockets, listeners, channels), registered by any slice. */
  disposers: Set<() => void>
  /** How a refresh request runs: alone, or coordinated across tabs. */
  coordinator: RefreshCoordinator
}

const positive = (value: number | undefined, fallback: number, name: string): number => {
  if (value === undefined) return fallback
  if (typeof value !== 'number' || Number.isNaN(value) || value <= 0) {
    throw new TypeError(
      `[zustand-auth-session] \`${name}\` must be a positive number, got ${value}`,
    )
  }
  return value
}

export function resolveConfig(options: AuthStoreOptions<never>): ResolvedConfig {
  if (!options || typeof options.transport?.refresh !== 'function') {
    throw new TypeError('[zustand-auth-session] `transport` with a `refresh` function is required')
  }
  const tickMs = positive(options.tickMs, 60_000, 'tickMs')
  const platform = browserEnv()
  return {
    transport: options.transport as Transport<unknown>,
    tickMs,
    refreshWindowMs: positive(options.refreshWindowMs, 300_000, 'refreshWindowMs'),
    validateEveryTick: options.validateEveryTick === true,
    idleTimeoutMs: positive(options.idleTimeoutMs, 3_600_000, 'idleTimeoutMs'),
    activityThrottleMs: positive(options.activityThrottleMs, tickMs, 'activityThrottleMs'),
    storageKey: options.storageKey ?? 'auth-session',
    now: options.now ?? systemClock,
    retry: {
      initialDelayMs: positive(options.retry?.initialDelayMs, 1_000, 'retry.initialDelayMs'),
      factor: positive(options.retry?.factor, 2, 'retry.factor'),
      maxDelayMs: positive(options.retry?.maxDelayMs, tickMs, 'retry.maxDelayMs'),
      urgentMaxDelayMs: positive(options.retry?.urgentMaxDelayMs, 15_000, 'retry.urgentMaxDelayMs'),
      maxRetryAfterMs: positive(
        options.retry?.maxRetryAfterMs,
        options.refreshWindowMs ?? 300_000,
        'retry.maxRetryAfterMs',
      ),
      jitter: options.retry?.jitter ?? 0.2,
    },
    timers: options.timers ?? defaultTimers,
    env: { ...platform, ...options.env },
    random: options.random ?? Math.random,
  }
}

export function createRuntime(config: ResolvedConfig): AuthRuntime {
  return {
    config,
    epoch: 0,
    lastProvenValidAt: null,
    refreshFlight: createSingleFlight<boolean>(),
    validateFlight: createSingleFlight<void>(),
    outcomes: new Set(),
    disposers: new Set(),
    coordinator: soloCoordinator,
  }
}
