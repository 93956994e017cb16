import axios, { type AxiosInstance } from 'axios'
import { type AuthStore, createAuthStore } from '../../../src/createAuthStore'
import { axiosTransport } from '../../../src/http/axiosTransport'
import { createAuthClient } from '../../../src/http/createAuthClient'
import type { PlaygroundBackend } from './backend'
import type { DevtoolsRecorder } from './devtoolsRecorder'

/**
 * Production timings, compressed: tokens live 2 minutes instead of 60 (the backend is started
 * with `accessTokenTtlMs: 120_000`), so a refresh comes every 90 seconds rather than every 55
 * minutes.
 */
export const PLAYGROUND_TIMINGS = {
  tickMs: 5_000,
  refreshWindowMs: 30_000,
  idleTimeoutMs: 5 * 60_000,
} as const

export const DEMO_LOGIN = { username: 'demo', password: 'demo' }

export interface PlaygroundSession {
  store: AuthStore
  /** For the app's own API calls: bearer token, one refresh-and-retry on a 401. */
  api: AxiosInstance
  dispose(): void
}

/** A real store against the reference backend, over axios, with the devtools traffic recorded. */
export function createPlaygroundSession(
  backend: PlaygroundBackend,
  recorder: DevtoolsRecorder,
): PlaygroundSession {
  const transport = axiosTransport<typeof DEMO_LOGIN>(axios.create({ baseURL: backend.url }), {
    loginUrl: '/auth/login',
    refreshUrl: '/auth/refresh',
    validateUrl: '/auth/validate',
    logoutUrl: '/auth/logout',
  })
  const store = recorder.record(() =>
    createAuthStore<typeof DEMO_LOGIN>({
      transport,
      ...PLAYGROUND_TIMINGS,
      // Memory only: a reload starts signed out, and other Storybook tabs are not synced.
      storage: null,
      devtools: { name: 'zustand-auth-session playground', enabled: true },
      websocket: { url: (job) => `${backend.wsUrl}/ws/jobs/${encodeURIComponent(job)}` },
    }),
  )
  const api = createAuthClient(store, { baseURL: backend.url })
  return { store, api, dispose: () => store.dispose() }
}
