import { type AuthStore, createAuthStore } from '../../src/createAuthStore'
import { headlessEnv } from '../../src/env/browser'
import type { AuthStoreOptions } from '../../src/options'
import type { WebSocketOptions } from '../../src/websocket/websocketOptions'
import { createFakeWebSockets, type FakeWebSockets } from './fakeWebSocket'
import { createStoryClock, type StoryClock } from './storyClock'
import { createStubServer, type DemoCredentials, type StubServer } from './stubServer'

/** Everything a story's scenario drives: the real store and what stands in for the world. */
export interface StoryHarness {
  store: AuthStore
  clock: StoryClock
  server: StubServer
  sockets: FakeWebSockets
  /** Signs in through the store's `login` action, with the stub server's demo account. */
  signIn(): Promise<void>
  dispose(): void
}

/** `parameters.authStore` of a story: how its store is built and brought into its state. */
export interface AuthStoreParameters {
  /** Store options on top of the story defaults (the 60-minute production timings). */
  options?: Partial<Omit<AuthStoreOptions<DemoCredentials>, 'websocket'>>
  /** Job sockets: on, with these options on top of the story defaults. */
  websocket?: Partial<WebSocketOptions>
  /** The stub server's token lifetime. @default 60 minutes */
  tokenTtlMs?: number
  /** Brings the store into the story's state through its actions (before the story renders). */
  scenario?: (harness: StoryHarness) => Promise<void>
}

export const DEMO_CREDENTIALS: DemoCredentials = { username: 'demo', password: 'demo' }

/**
 * A fresh store for one story: a stub server, the story clock for time and timers, memory
 * storage, no browser events (the pointer moving over Storybook must not count as activity),
 * no devtools, jitter pinned to the middle so retry delays are exact.
 */
export function createStoryHarness(parameters: AuthStoreParameters = {}): StoryHarness {
  const clock = createStoryClock()
  const server = createStubServer(clock.now)
  if (parameters.tokenTtlMs !== undefined) server.tokenTtlMs = parameters.tokenTtlMs
  const sockets = createFakeWebSockets()
  const store = createAuthStore<DemoCredentials>({
    transport: server.transport,
    now: clock.now,
    timers: clock.timers,
    random: () => 0.5,
    env: headlessEnv,
    storage: null,
    devtools: false,
    ...parameters.options,
    websocket: {
      url: (job) => `wss://api.example.test/ws/jobs/${encodeURIComponent(job)}`,
      WebSocket: sockets.WebSocket,
      ...parameters.websocket,
    },
  })
  return {
    store,
    clock,
    server,
    sockets,
    signIn: () => store.getState().login(DEMO_CREDENTIALS),
    dispose: () => store.dispose(),
  }
}
