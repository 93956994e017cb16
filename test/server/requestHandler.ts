import type { IncomingMessage, ServerResponse } from 'node:http'
import { applyCors, type CorsOrigins } from './cors'
import type { Counters } from './counters'
import { type Faults, respondWithFailure } from './faults'
import { BadRequestError, sendJson } from './http'
import type { RouteHandler } from './routes'
import type { TimerScope } from './timers'

export interface RequestPipeline {
  routes: Record<string, RouteHandler>
  /** Present only when `/__control` is exposed. */
  control?: (req: IncomingMessage, res: ServerResponse, pathname: string) => Promise<void>
  controlPath: string
  counters: Counters
  faults: Faults
  timers: TimerScope
  corsOrigins: CorsOrigins
}

/**
 * Every HTTP request goes: count → CORS → latency → injected failure → route. Counting comes
 * first so a faulted request still shows up as an attempt; `/__control` skips counts and
 * faults so steering the server never disturbs what a test measures.
 */
export function createRequestHandler(pipeline: RequestPipeline) {
  const { counters, faults, timers } = pipeline

  return async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const { pathname } = new URL(req.url ?? '/', 'http://reference.invalid')
    const routeKey = `${req.method} ${pathname}`
    const isControl =
      pathname === pipeline.controlPath || pathname.startsWith(`${pipeline.controlPath}/`)
    if (!isControl) counters.increment(routeKey)
    if (applyCors(req, res, pipeline.corsOrigins)) return
    if (isControl) {
      if (pipeline.control) return pipeline.control(req, res, pathname)
      return sendJson(res, 404, { error: 'not_found' })
    }

    const latencyMs = faults.nextLatencyMs()
    if (latencyMs > 0) await timers.delay(latencyMs)
    const failure = faults.nextFailure(routeKey)
    if (failure) return respondWithFailure(req, res, failure)

    const route = pipeline.routes[routeKey]
    if (!route) return sendJson(res, 404, { error: 'not_found' })
    try {
      await route(req, res)
    } catch (error) {
      if (error instanceof BadRequestError) return sendJson(res, 400, { error: 'invalid_request' })
      sendJson(res, 500, { error: 'internal_error' })
    }
  }
}
