import axios from 'axios'
import { createAuthStore } from '../../src/createAuthStore'
import { headlessEnv } from '../../src/env/browser'
import { axiosTransport } from '../../src/http/axiosTransport'
import { createAuthClient } from '../../src/http/createAuthClient'
import type { AuthStoreOptions } from '../../src/options'
import { type ReferenceServerOptions, startReferenceServer } from '../server/referenceServer'
import { recordSignOuts } from './createTestStore'
import { checkInvariants, observeTransport } from './invariants'
import { createRequestLog } from './requestLog'
import { createVirtualTime } from './virtualTime'

export const SECOND = 1_000
export const MINUTE = 60_000
export const HOUR = 60 * MINUTE
const START = Date.parse('2026-01-01T09:00:00Z')

export const DEMO = { username: 'demo', password: 'demo' }

export interface LiveSessionOptions {
  server?: ReferenceServerOptions
  store?: Partial<AuthStoreOptions>
}

/**
 * The whole stack against the reference backend over real HTTP: store, `axiosTransport`,
 * `createAuthClient`. Store and server share one virtual clock; the store's timers are virtual
 * too, so hours pass in milliseconds while every request is real.
 */
export async function startLiveSession(options: LiveSessionOptions = {}) {
  const time = createVirtualTime(START)
  const server = await startReferenceServer({ now: time.now, ...options.server })
  const log = createRequestLog(time.now)
  const transport = axiosTransport(log.track(axios.create({ baseURL: server.url })), {
    refreshUrl: '/auth/refresh',
    validateUrl: '/auth/validate',
    loginUrl: '/auth/login',
    logoutUrl: '/auth/logout',
    now: time.now,
  })
  const observed = observeTransport(options.store?.transport ?? transport)
  const store = createAuthStore({
    storage: null,
    devtools: false,
    now: time.now,
    timers: time.timers,
    random: () => 0.5,
    env: headlessEnv,
    // Hours pass without a user here; the idle timeout has its own tests.
    idleTimeoutMs: Number.POSITIVE_INFINITY,
    ...options.store,
    transport: observed.transport,
  })
  checkInvariants(store, observed)
  const client = log.track(createAuthClient(store, { baseURL: server.url }))
  const signOuts = recordSignOuts(store)

  return {
    server,
    control: server.control,
    store,
    client,
    time,
    log,
    signOuts,
    /** Moves the shared clock, firing the store's timers and waiting for their requests. */
    advance: (ms: number) => time.advance(ms, log.idle),
    login: () => store.getState().login(DEMO),
    refreshCount: () => server.control.counts()['POST /auth/refresh'] ?? 0,
    async close() {
      store.dispose()
      await server.close()
    },
  }
}

export type LiveSession = Awaited<ReturnType<typeof startLiveSession>>
