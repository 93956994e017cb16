import axios from 'axios'
import { createAuthStore } from '../../../src/createAuthStore'
import { headlessEnv } from '../../../src/env/browser'
import { axiosTransport } from '../../../src/http/axiosTransport'
import { createAuthClient } from '../../../src/http/createAuthClient'
import { startReferenceServer } from '../../server/referenceServer'
import { fixed, type Section } from '../lib/report'

export const CONCURRENT_CALLS = 1_000
const RUNS = 3

export interface SingleFlightRun {
  calls: number
  succeeded: number
  refreshRequests: number
  apiRequests: number
  refreshReuse: number
  signOuts: number
  /** From firing the calls to the new token in the store. */
  untilRefreshedMs: number
  /** From the new token to the last call resolved: the queued calls' retries. */
  releaseMs: number
  totalMs: number
}

/**
 * `CONCURRENT_CALLS` API calls through `createAuthClient`, all answered 401 (every access token
 * expired on the server with `expireTokensNow`), against the reference backend over real HTTP,
 * in real time. The store is the library's with `axiosTransport`; no scheduler runs.
 */
export async function measureSingleFlight(calls = CONCURRENT_CALLS): Promise<SingleFlightRun> {
  const server = await startReferenceServer()
  const transport = axiosTransport(axios.create({ baseURL: server.url }), {
    refreshUrl: '/auth/refresh',
    validateUrl: '/auth/validate',
    loginUrl: '/auth/login',
    logoutUrl: '/auth/logout',
  })
  const store = createAuthStore({
    transport,
    storage: null,
    devtools: false,
    env: headlessEnv,
    autoStart: false,
  })
  const client = createAuthClient(store, { baseURL: server.url })
  let signOuts = 0
  let refreshedAt = Number.NaN
  store.subscribe((state, previous) => {
    if (state.token !== previous.token && state.token !== null) refreshedAt = performance.now()
    if (state.status === 'signedOut' && previous.status !== 'signedOut') signOuts += 1
  })
  try {
    await store.getState().login({ username: 'demo', password: 'demo' })
    // Warm-up: the first request pays for connection set-up and JIT, not the queue.
    await client.get('/api/me')
    server.control.expireTokensNow()
    server.control.resetCounts()
    refreshedAt = Number.NaN

    const started = performance.now()
    const results = await Promise.allSettled(
      Array.from({ length: calls }, () => client.get('/api/me')),
    )
    const ended = performance.now()
    const counts = server.control.counts()
    return {
      calls,
      succeeded: results.filter((result) => result.status === 'fulfilled').length,
      refreshRequests: counts['POST /auth/refresh'] ?? 0,
      apiRequests: counts['GET /api/me'] ?? 0,
      refreshReuse: counts['refresh:reuse'] ?? 0,
      signOuts,
      untilRefreshedMs: refreshedAt - started,
      releaseMs: ended - refreshedAt,
      totalMs: ended - started,
    }
  } finally {
    store.dispose()
    await server.close()
  }
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.floor(sorted.length / 2)] as number
}

export const singleFlightSection: Section = {
  id: 'singleFlight',
  title: `4. Single-flight: ${CONCURRENT_CALLS} concurrent 401s through createAuthClient`,
  async run({ log }) {
    const runs: SingleFlightRun[] = []
    for (let i = 0; i < RUNS; i++) {
      runs.push(await measureSingleFlight())
      log(`singleFlight: run ${i + 1}/${RUNS}`)
    }
    const row = (name: string, run: SingleFlightRun) => [
      name,
      run.refreshRequests,
      `${run.succeeded}/${run.calls}`,
      run.apiRequests,
      run.refreshReuse,
      run.signOuts,
      fixed(run.untilRefreshedMs, 0),
      fixed(run.releaseMs, 0),
      fixed(run.totalMs, 0),
    ]
    const med: SingleFlightRun = {
      ...(runs[0] as SingleFlightRun),
      untilRefreshedMs: median(runs.map((run) => run.untilRefreshedMs)),
      releaseMs: median(runs.map((run) => run.releaseMs)),
      totalMs: median(runs.map((run) => run.totalMs)),
    }
    return {
      data: { runs },
      tables: [
        {
          title: `Reference backend over HTTP on 127.0.0.1, real time, ${RUNS} runs`,
          columns: [
            'run',
            'refresh requests (goal 1)',
            'calls succeeded',
            'GET /api/me at the server',
            'refresh-token reuse',
            'sign-outs',
            'until refreshed (ms)',
            'queue release (ms)',
            'total (ms)',
          ],
          rows: [
            ...runs.map((run, i) => row(String(i + 1), run)),
            ['median', '', '', '', '', '', ...row('', med).slice(6)],
          ],
          notes: [
            'Every call is sent with the token the server has just expired (`control.expireTokensNow()`), gets a 401, waits for the one refresh and is retried once with the new token.',
            'Until refreshed: from sending the calls to the new token in the store (the 401s arriving, then the refresh round trip). Queue release: from the new token to the last retried call resolved.',
          ],
        },
      ],
    }
  },
}
