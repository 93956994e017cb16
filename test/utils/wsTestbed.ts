import { vi } from 'vitest'
import WebSocket from 'ws'
import { createAuthStore } from '../../src/createAuthStore'
import { headlessEnv } from '../../src/env/browser'
import type { AuthStoreOptions } from '../../src/options'
import type { JobEvent } from '../../src/websocket/jobState'
import type { WebSocketOptions } from '../../src/websocket/websocketOptions'
import { type ReferenceServerOptions, startReferenceServer } from '../server/referenceServer'
import { createFetchTransport } from './fetchTransport'
import { checkInvariants, observeTransport } from './invariants'

/** Fast enough to keep the suite short, slow enough that a refresh lands mid-stream. */
export const FAST_JOB = { intervalMs: 15, steps: 10_000 }
/** Backoff in tens of milliseconds instead of seconds, for real-time tests. */
export const QUICK_RECONNECT = { initialDelayMs: 20, factor: 2, maxDelayMs: 200 }

export interface WsTestbedOptions {
  websocket?: Partial<WebSocketOptions>
  server?: ReferenceServerOptions
  store?: Partial<AuthStoreOptions>
  /** Sign in before returning. @default true */
  signIn?: boolean
}

/**
 * The reference server on 127.0.0.1:0 and a store whose sockets (the `ws` package's client)
 * and HTTP calls (fetch) go to it. No scheduler, no storage, no devtools.
 */
export async function startWsTestbed(options: WsTestbedOptions = {}) {
  const server = await startReferenceServer({ job: FAST_JOB, ...options.server })
  const observed = observeTransport(options.store?.transport ?? createFetchTransport(server.url))
  const store = createAuthStore({
    storage: null,
    devtools: false,
    env: headlessEnv,
    autoStart: false,
    random: () => 0.5,
    ...options.store,
    websocket: {
      url: (name) => `${server.wsUrl}/ws/jobs/${encodeURIComponent(name)}`,
      WebSocket,
      reconnect: QUICK_RECONNECT,
      ...options.websocket,
    },
    transport: observed.transport,
  })
  checkInvariants(store, observed)
  const signIn = () => store.getState().login({ username: 'demo', password: 'demo' })
  if (options.signIn !== false) await signIn()
  return {
    server,
    store,
    signIn,
    close: async () => {
      store.dispose()
      await server.close()
    },
  }
}

export type WsTestbed = Awaited<ReturnType<typeof startWsTestbed>>

/** Subscribes to a job and keeps what its listener received. */
export function recordJob(store: WsTestbed['store'], name: string) {
  const events: JobEvent[] = []
  const unsubscribe = store.getState().subscribeJob(name, (event) => events.push(event))
  const seqs = () =>
    events.filter((event) => typeof event.seq === 'number').map((event) => event.seq as number)
  return {
    events,
    seqs,
    unsubscribe,
    /** Resolves once at least `count` progress events have arrived. */
    untilSeqCount: (count: number) =>
      vi.waitFor(() => {
        if (seqs().length < count) throw new Error(`${name}: ${seqs().length}/${count} events`)
      }, WAIT),
  }
}

/** Polling for conditions that real sockets make true within milliseconds. */
export const WAIT = { timeout: 5_000, interval: 5 }

/** `[1, 2, …, count]`: what a listener that got every seq exactly once, in order, has. */
export const oneTo = (count: number) => Array.from({ length: count }, (_, index) => index + 1)

/** The `jti` of a JWT, to tell which token a server-side socket record belongs to. */
export function jtiOf(token: string | null): string {
  const payload = token?.split('.')[1]
  if (!payload) throw new Error('not a JWT')
  return (JSON.parse(Buffer.from(payload, 'base64url').toString()) as { jti: string }).jti
}
