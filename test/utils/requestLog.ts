import { setImmediate as nextMacrotask } from 'node:timers/promises'
import type { AxiosInstance } from 'axios'

export interface LoggedRequest {
  method: string
  url: string
  /** The virtual time the request was sent at. */
  at: number
  /** The status it got, or the error code when it got no answer; undefined while in flight. */
  outcome?: number | string
}

/**
 * Logs the requests of axios instances (at the virtual time they were sent) and tells when
 * none is in flight, so virtual time can wait for real sockets before moving on.
 */
export function createRequestLog(now: () => number) {
  const entries: LoggedRequest[] = []
  let inFlight = 0

  const track = (instance: AxiosInstance) => {
    const byConfig = new WeakMap<object, LoggedRequest>()
    instance.interceptors.request.use((config) => {
      const entry = {
        method: (config.method ?? 'get').toUpperCase(),
        url: config.url ?? '',
        at: now(),
      }
      entries.push(entry)
      byConfig.set(config, entry)
      inFlight += 1
      return config
    })
    // Registered before any other response interceptor, so it sees each attempt, retries too.
    instance.interceptors.response.use(
      (response) => {
        inFlight -= 1
        const entry = byConfig.get(response.config)
        if (entry) entry.outcome = response.status
        return response
      },
      (error: { config?: object; response?: { status: number }; code?: string }) => {
        inFlight -= 1
        const entry = error.config && byConfig.get(error.config)
        if (entry) entry.outcome = error.response?.status ?? error.code
        throw error
      },
    )
    return instance
  }

  /** Resolves once no tracked request has been in flight for a few event-loop turns. */
  const idle = async () => {
    const deadline = Date.now() + 5_000
    for (let quietTurns = 0; quietTurns < 3; ) {
      await nextMacrotask()
      quietTurns = inFlight === 0 ? quietTurns + 1 : 0
      if (Date.now() > deadline) throw new Error(`${inFlight} request(s) still in flight after 5 s`)
    }
  }

  return {
    track,
    idle,
    entries,
    inFlight: () => inFlight,
    /** The logged requests to a path (query ignored). */
    to: (method: string, path: string) =>
      entries.filter((e) => e.method === method && e.url.replace(/\?.*$/, '').endsWith(path)),
  }
}
