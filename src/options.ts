import type { StateStorage } from 'zustand/middleware'
import type { AuthEnv } from './env/browser'
import type { Clock } from './env/clock'
import type { Timers } from './env/timers'
import type { RetryOptions } from './scheduler/backoff'
import type { Transport } from './types'
import type { WebSocketOptions } from './websocket/websocketOptions'

export interface DevtoolsOptions {
  /** The instance name shown in Redux DevTools. @default 'auth-session' (the storageKey) */
  name?: string
  /** @default true, except when `process.env.NODE_ENV === 'production'` */
  enabled?: boolean
}

export interface AuthStoreOptions<Credentials = unknown> {
  /** How the store talks to the server (see `axiosTransport`). Required. */
  transport: Transport<Credentials>
  /** Scheduler period. @default 60_000 */
  tickMs?: number
  /** Refresh when the access token expires in less than this. @default 300_000 */
  refreshWindowMs?: number
  /**
   * Ask the server on every tick, even right after a refresh or an API call proved the session
   * (`false` skips those checks: the server has just answered for the session). `true` bounds
   * the time to notice a revocation by one tick exactly, at about one more request an hour.
   * @default false
   */
  validateEveryTick?: boolean
  /** Sign out after this long without user activity; `Infinity` turns it off. @default 3_600_000 */
  idleTimeoutMs?: number
  /** Activity is written to the store at most once per this period. @default tickMs */
  activityThrottleMs?: number
  /**
   * Where the session is persisted. `null` keeps it in memory only (nothing survives a reload,
   * and nothing is readable by other scripts through storage).
   * @default localStorage when the platform has a working one, else memory
   */
  storage?: StateStorage | null
  /** The storage key (and the cross-tab channel name). @default 'auth-session' */
  storageKey?: string
  /** Redux DevTools connection; tokens are always redacted. @default true (off in production) */
  devtools?: boolean | DevtoolsOptions
  /** The clock. @default () => Date.now() */
  now?: Clock
  /** Backoff for transient failures. @default { initialDelayMs: 1_000, factor: 2, maxDelayMs: tickMs, jitter: 0.2 } */
  retry?: RetryOptions
  /** Timer functions. @default the platform's setTimeout / clearTimeout, wrapped */
  timers?: Timers
  /** Browser environment (events, visibility, locks, BroadcastChannel). @default the platform's, when present */
  env?: Partial<AuthEnv>
  /** Random source for jitter. @default Math.random */
  random?: () => number
  /** Start the scheduler as soon as the store is created. @default true */
  autoStart?: boolean
  /**
   * WebSocket job-progress connections that follow the session (`subscribeJob`). Without it,
   * `subscribeJob` throws. @default undefined (no sockets)
   */
  websocket?: WebSocketOptions
}
