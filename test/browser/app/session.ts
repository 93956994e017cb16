import axios, { type AxiosInstance } from 'axios'
import { axiosTransport, createAuthClient } from '../../../src/axios'
import { type AuthStore, createAuthStore } from '../../../src/index'
import { type AcceleratedTime, createAcceleratedTime } from './acceleratedTime'
import { createDevtoolsLog, type DevtoolsLog } from './devtoolsLog'
import { createJobLog, type JobLog } from './jobLog'
import type { PageConfig } from './pageConfig'

export interface Credentials {
  username: string
  password: string
}

/** What the page is made of; also what the tests reach through `window.__e2e`. */
export interface PageSession {
  config: PageConfig
  time: AcceleratedTime
  store: AuthStore
  /** The app's own API client: bearer token, one refresh-and-retry on a 401. */
  api: AxiosInstance
  devtools: DevtoolsLog
  jobs: JobLog
}

declare global {
  interface Window {
    __store: AuthStore
    __e2e: PageSession
  }
}

/**
 * The store an app would build, against the reference backend over axios, with the job
 * sockets on the browser's own WebSocket. Only time is the test's: the page's clock and
 * timers run `config.speed` times faster, like the backend's.
 */
export function createPageSession(config: PageConfig): PageSession {
  const time = createAcceleratedTime(config)
  const devtools = createDevtoolsLog(time.now)
  const transport = axiosTransport<Credentials>(axios.create({ baseURL: config.apiUrl }), {
    loginUrl: '/auth/login',
    refreshUrl: '/auth/refresh',
    validateUrl: '/auth/validate',
    logoutUrl: '/auth/logout',
    now: time.now,
  })
  const store = devtools.record(() =>
    createAuthStore<Credentials>({
      transport,
      tickMs: config.tickMs,
      refreshWindowMs: config.refreshWindowMs,
      idleTimeoutMs: config.idleTimeoutMs,
      storageKey: config.storageKey,
      now: time.now,
      timers: time.timers,
      // Asked for: the page is a production build, where devtools are documented to be off.
      devtools: { name: 'e2e page', enabled: true },
      websocket: {
        url: (job) => `${config.wsUrl}/ws/jobs/${encodeURIComponent(job)}`,
        tokenStrategy: config.tokenStrategy,
      },
    }),
  )
  const api = createAuthClient(store, { baseURL: config.apiUrl })
  return { config, time, store, api, devtools, jobs: createJobLog(store) }
}
