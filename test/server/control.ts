import type { Authority } from './authority'
import type { ServerClock } from './clock'
import type { Counters } from './counters'
import type { FailureSpec, Faults, Latency } from './faults'
import type { WsConnectionRecord } from './jobSocket'
import type { JobOptions, Jobs } from './jobs'
import type { Listener } from './listener'
import type { TimerScope } from './timers'
import type { WebSockets } from './webSockets'

/** The knobs tests turn: faults, outages, revocation, clock skew, and what happened so far. */
export interface ServerControl {
  /** Delay before handling each HTTP request; a range picks a seeded random delay per request. */
  setLatency(latency: Latency): void
  /** `null` stops failing requests. Never applies to `/__control`. */
  setFailure(failure: FailureSpec | null): void
  /**
   * Closes the listening socket and destroys every HTTP and WebSocket connection, so clients get
   * ECONNREFUSED. `forMs` brings it back by itself, the only way back for a client that steers
   * the server over HTTP.
   */
  down(options?: { forMs?: number }): Promise<void>
  /** Listens again on the same port. */
  up(): Promise<void>
  isDown(): boolean
  /** Revokes one session (the `sid` claim), or every session when omitted. */
  revokeSession(sid?: string): void
  /** Every access token issued so far counts as expired; refresh tokens stay valid. */
  expireTokensNow(): void
  setClockOffset(ms: number): void
  /** The server clock, ms, offset included. */
  now(): number
  counts(): Record<string, number>
  resetCounts(): void
  /** Terminates every WebSocket without a close frame. */
  dropAllSockets(): void
  /** Rejects WebSocket upgrades with HTTP 503 for `ms` of server-clock time. */
  refuseWebSockets(ms: number): void
  wsConnections(): WsConnectionRecord[]
  /** (Re)starts a job from seq 0; jobs otherwise start on their first authenticated socket. */
  startJob(name: string, options?: JobOptions): void
  resetJobs(): void
  /** Back to a healthy server: no faults, initial clock offset, no jobs, counts zeroed, up. */
  reset(): Promise<void>
}

export interface ControlDependencies {
  authority: Authority
  clock: ServerClock
  counters: Counters
  faults: Faults
  jobs: Jobs
  listener: Listener
  timers: TimerScope
  webSockets: WebSockets
  initialClockOffsetMs: number
}

export function createControl(deps: ControlDependencies): ServerControl {
  const { authority, clock, counters, faults, jobs, listener, timers, webSockets } = deps

  const up = () => listener.up()

  return {
    setLatency: (latency) => faults.setLatency(latency),
    setFailure: (failure) => faults.setFailure(failure),
    down: async (options) => {
      // The listener destroys upgraded sockets too, so WebSockets see 1006 like in a real outage.
      await listener.down()
      if (options?.forMs !== undefined) timers.setTimeout(() => void up(), options.forMs)
    },
    up,
    isDown: () => listener.isDown(),
    revokeSession: (sid) => authority.revokeSession(sid),
    expireTokensNow: () => authority.expireTokensNow(),
    setClockOffset: (ms) => clock.setOffset(ms),
    now: () => clock.now(),
    counts: () => counters.snapshot(),
    resetCounts: () => counters.reset(),
    dropAllSockets: () => webSockets.dropAll(),
    refuseWebSockets: (ms) => webSockets.refuse(ms),
    wsConnections: () => webSockets.records(),
    startJob: (name, options) => jobs.start(name, options),
    resetJobs: () => jobs.reset(),
    reset: async () => {
      faults.setLatency(0)
      faults.setFailure(null)
      webSockets.refuse(0)
      clock.setOffset(deps.initialClockOffsetMs)
      jobs.reset()
      counters.reset()
      await up()
    },
  }
}
