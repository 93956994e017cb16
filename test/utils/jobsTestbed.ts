import { afterEach, beforeEach, vi } from 'vitest'
import type { AuthStoreOptions } from '../../src/options'
import type { JobEvent } from '../../src/websocket/jobState'
import type { WebSocketOptions } from '../../src/websocket/websocketOptions'
import { createTestStore } from './createTestStore'
import { createFakeWebSockets, type FakeWebSockets } from './fakeWebSocket'
import { tokenAt } from './jwt'

export type JobsStore = ReturnType<typeof createTestStore>['store']

/** Where the testbed's job sockets connect: `wss://api.test/ws/jobs/<job name>`. */
export const jobUrl = (name: string) => `wss://api.test/ws/jobs/${name}`

/**
 * The jobs slice over scripted sockets (test/utils/fakeWebSocket.ts), with fake timers from
 * 2026-01-01 09:00 UTC, fresh for every test of the file that calls this at its top level.
 * `sockets` is read through the returned object because each test gets new ones.
 */
export function setUpJobsTestbed() {
  let sockets: FakeWebSockets
  beforeEach(() => {
    vi.useFakeTimers({ now: new Date('2026-01-01T09:00:00Z') })
    sockets = createFakeWebSockets()
  })
  afterEach(() => {
    vi.unstubAllGlobals()
    vi.useRealTimers()
  })

  /** A store (not started, signed out) whose jobs open scripted sockets at `jobUrl(name)`. */
  const storeWith = (
    websocket: Partial<WebSocketOptions> = {},
    overrides: Partial<AuthStoreOptions> = {},
  ) =>
    createTestStore({
      autoStart: false,
      websocket: { url: jobUrl, WebSocket: sockets.WebSocket, ...websocket },
      ...overrides,
    })

  return {
    get sockets() {
      return sockets
    },
    storeWith,
    /** `storeWith`, then signed in with a token issued now. */
    async signedInStore(
      websocket: Partial<WebSocketOptions> = {},
      overrides: Partial<AuthStoreOptions> = {},
    ) {
      const bed = storeWith(websocket, overrides)
      await bed.store.getState().login({ accessToken: tokenAt(Date.now()), refreshToken: 'r-0' })
      return bed
    },
  }
}

/** Subscribes to a job and keeps what it delivers. */
export function listen(store: JobsStore, name = 'build') {
  const events: JobEvent[] = []
  const unsubscribe = store.getState().subscribeJob(name, (event) => events.push(event))
  return { events, seqs: () => events.map((event) => event.seq), unsubscribe }
}
