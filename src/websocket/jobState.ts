import type { AuthErrorKind } from '../types'

/**
 * - `connecting`: the job's first socket (after subscribing or signing in) is not delivering yet
 * - `open`: the current socket delivers
 * - `reconnecting`: the socket was lost or refused (or the jobs code failed to load); waiting
 *   (backoff, or a token refresh) or retrying
 * - `closed`: signed out; the listeners are kept and the job reopens on sign-in
 * - `failed`: `maxAttempts` consecutive failures; retried on the next new token or sign-in
 */
export type JobStatus = 'connecting' | 'open' | 'reconnecting' | 'closed' | 'failed'

/** Why a job's socket failed, as plain data. */
export interface JobErrorState {
  /** `unauthorized` for an auth close code (4401, 1008), else `network`. */
  kind: AuthErrorKind
  message: string
  /** The WebSocket close code, when the socket got as far as closing. */
  closeCode?: number
}

/** One job's connection, as kept in state. Tokens are never part of it. */
export interface JobState {
  status: JobStatus
  /** Consecutive failed attempts; back to 0 once a socket delivers. */
  attempts: number
  /** When the last progress event arrived, on the local clock (written at most once a second). */
  lastEventAt: number | null
  /** The highest `seq` delivered to the listeners (written at most once a second). */
  lastSeq: number | null
  /** The last failure; null once a socket delivers again. */
  error: JobErrorState | null
}

/** A message from a job's socket, parsed. Progress events carry a numeric `seq`. */
export interface JobEvent {
  type?: unknown
  seq?: unknown
  [key: string]: unknown
}

export type JobListener = (event: JobEvent) => void

export interface JobsSliceState {
  /** Every job with at least one listener, by name. Not persisted. */
  jobs: Record<string, JobState>
}

export interface JobsSliceActions {
  /**
   * Listens to a job's progress. The first listener opens the job's socket; the last
   * unsubscribe closes it and removes the job from state. Listeners are kept across every
   * reconnect and token change, and get each progress event (by `seq`) exactly once, in order.
   * Throws a TypeError when the store was created without the `websocket` option.
   */
  subscribeJob(jobName: string, listener: JobListener): () => void
}

export type JobsSlice = JobsSliceState & JobsSliceActions
