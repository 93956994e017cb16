import { createServer } from 'node:http'
import { createAuthority } from './authority'
import { createServerClock } from './clock'
import { createControl, type ServerControl } from './control'
import { CONTROL_PATH, createControlRoute } from './controlRoute'
import type { CorsOrigins } from './cors'
import { createCounters } from './counters'
import { createFaults } from './faults'
import type { JobOptions } from './jobs'
import { createJobs } from './jobs'
import { createListener } from './listener'
import { createRandom } from './random'
import { createRequestHandler } from './requestHandler'
import { createRoutes } from './routes'
import { createTimerScope } from './timers'
import { createWebSockets } from './webSockets'

export type { ServerControl } from './control'
export type { FailureMode, FailureSpec, Latency } from './faults'
export type { WsConnectionRecord } from './jobSocket'
export type { JobOptions } from './jobs'

/** A real auth backend in miniature, for integration tests, the Storybook playground and e2e. */
export interface ReferenceServerOptions {
  /** @default '127.0.0.1' */
  host?: string
  /** 0 picks a free port. @default 0 */
  port?: number
  /**
   * Like the original backend's JWT_ACCESS_TOKEN_EXPIRE_MINUTES=60; rounded to whole seconds
   * (at least 1) because JWT times are seconds.
   * @default 3_600_000
   */
  accessTokenTtlMs?: number
  /**
   * A refresh token unused this long is dead: the server half of the inactivity timeout.
   * @default 3_600_000
   */
  refreshTokenIdleTtlMs?: number
  /**
   * Server clock = `now() + offset`, to test client/server skew; see `control.setClockOffset`.
   * @default 0
   */
  clockOffsetMs?: number
  /**
   * Read on every use, so a mutable test clock or `vi.useFakeTimers()` moves the server too.
   * @default () => Date.now()
   */
  now?: () => number
  /** Progress stream of `/ws/jobs/:name`. @default { intervalMs: 1000, steps: 100 } */
  job?: JobOptions
  /** Origins allowed to call with credentials; the Origin is echoed. @default [] */
  corsOrigins?: string[] | '*'
  /** Enables `POST /__control`; the CLI turns it on. @default false */
  exposeControl?: boolean
  /** Seeds the PRNG behind failure rates and latency ranges. @default 1 */
  seed?: number
}

export interface ReferenceServer {
  /** `http://127.0.0.1:PORT` */
  url: string
  /** `ws://127.0.0.1:PORT` */
  wsUrl: string
  port: number
  control: ServerControl
  /** Stops listening and clears every socket and timer, so the test process can exit. */
  close(): Promise<void>
}

const MINUTE_MS = 60_000

export async function startReferenceServer(
  options: ReferenceServerOptions = {},
): Promise<ReferenceServer> {
  const host = options.host ?? '127.0.0.1'
  const clockOffsetMs = options.clockOffsetMs ?? 0
  const refreshTokenIdleTtlMs = options.refreshTokenIdleTtlMs ?? 60 * MINUTE_MS
  const baseNow = options.now ?? (() => Date.now())
  const clock = createServerClock(baseNow, clockOffsetMs)
  const timers = createTimerScope()
  const counters = createCounters()
  const faults = createFaults(createRandom(options.seed ?? 1))
  const authority = createAuthority({
    clock,
    accessTokenTtlMs: options.accessTokenTtlMs ?? 60 * MINUTE_MS,
    refreshTokenIdleTtlMs,
  })
  const jobs = createJobs(clock, timers, options.job ?? {})
  const webSockets = createWebSockets({ authority, jobs, clock, timers, counters })

  const server = createServer()
  const listener = createListener(server, host, options.port ?? 0)
  const control = createControl({
    authority,
    clock,
    counters,
    faults,
    jobs,
    listener,
    timers,
    webSockets,
    initialClockOffsetMs: clockOffsetMs,
  })
  const handleRequest = createRequestHandler({
    routes: createRoutes({ authority, counters, refreshTokenIdleTtlMs }),
    control: options.exposeControl ? createControlRoute(control) : undefined,
    controlPath: CONTROL_PATH,
    counters,
    faults,
    timers,
    corsOrigins: (options.corsOrigins ?? []) satisfies CorsOrigins,
  })
  // A bug in a handler must cost one request, not the test run's process.
  server.on('request', (req, res) => handleRequest(req, res).catch(() => res.destroy()))
  server.on('upgrade', (req, socket, head) => webSockets.handleUpgrade(req, socket, head))

  await listener.listen()
  const port = listener.port()
  return {
    url: `http://${host}:${port}`,
    wsUrl: `ws://${host}:${port}`,
    port,
    control,
    close: async () => {
      timers.dispose()
      jobs.reset()
      webSockets.close()
      await listener.close()
    },
  }
}
