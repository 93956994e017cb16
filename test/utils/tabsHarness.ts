import { type AuthStore, createAuthStore } from '../../src/createAuthStore'
import type { BroadcastChannelConstructor, LockManagerLike } from '../../src/env/browser'
import type { AuthStoreOptions } from '../../src/options'
import { memoryStorage } from '../../src/persistence/memoryStorage'
import type { Transport } from '../../src/types'
import type { ReferenceServer } from '../server/referenceServer'
import { createFakeEnv, flushChannels } from './fakeEnv'
import { createFetchTransport } from './fetchTransport'
import type { Observed } from './invariants'
import type { VirtualTime } from './virtualTime'

/** Node's real BroadcastChannel, typed as the store's env expects. */
export const nodeBroadcastChannel = BroadcastChannel as unknown as BroadcastChannelConstructor

export interface TabsHarnessOptions {
  server: ReferenceServer
  time: VirtualTime
  storageKey: string
  locks?: LockManagerLike | undefined
  BroadcastChannel?: BroadcastChannelConstructor | undefined
  /**
   * Every tab keeps its own session in memory (`storage: null`): tabs that know nothing of each
   * other, as an app without cross-tab coordination behaves (the benchmark's baseline).
   */
  privateStorage?: boolean
  /** More store options for every tab (a benchmark policy, say). */
  storeOptions?: Partial<AuthStoreOptions>
  /**
   * Test-only checks on every tab (test/utils/invariants.ts), passed in rather than imported:
   * the benchmark uses this harness outside vitest.
   */
  invariants?: {
    observe(transport: Transport<unknown>): Observed
    check(store: AuthStore, observed: Observed): void
  }
}

/**
 * Stores in one process acting as tabs of one origin: one shared storage, the given
 * BroadcastChannel and locks, each tab its own fetch transport to the reference backend, one
 * virtual clock for all (and the server). `settle()` is "the network is idle": no request in
 * flight and every broadcast delivered.
 */
export function createTabsHarness(options: TabsHarnessOptions) {
  const { server, time, storageKey } = options
  const storage = memoryStorage()
  const tabs: AuthStore[] = []
  const signOuts: Array<Array<string | null>> = []
  let inFlight = 0

  const counted = (transport: Transport<unknown>): Transport<unknown> => {
    const wrap =
      <A extends unknown[], R>(call: (...args: A) => Promise<R>) =>
      async (...args: A) => {
        inFlight += 1
        try {
          return await call(...args)
        } finally {
          inFlight -= 1
        }
      }
    return {
      refresh: wrap(transport.refresh),
      validate: wrap(transport.validate as NonNullable<Transport['validate']>),
      login: wrap(transport.login as NonNullable<Transport['login']>),
      logout: wrap(transport.logout as NonNullable<Transport['logout']>),
    }
  }

  const openTab = (): AuthStore => {
    const browser = createFakeEnv({
      locks: options.locks,
      BroadcastChannel: options.BroadcastChannel,
    })
    const transport = counted(createFetchTransport(server.url) as Transport<unknown>)
    const observed = options.invariants?.observe(transport)
    const tab = createAuthStore({
      transport: observed?.transport ?? transport,
      storage: options.privateStorage ? null : storage,
      storageKey,
      devtools: false,
      now: time.now,
      timers: time.timers,
      random: () => 0.5,
      env: browser.env,
      ...options.storeOptions,
    })
    if (observed) options.invariants?.check(tab, observed)
    const reasons: Array<string | null> = []
    tab.subscribe((state, previous) => {
      if (state.status === 'signedOut' && previous.status !== 'signedOut') {
        reasons.push(state.signOutReason)
      }
    })
    tabs.push(tab)
    signOuts.push(reasons)
    return tab
  }

  const settle = async () => {
    do {
      await flushChannels()
      if (inFlight > 0) await new Promise((resolve) => setTimeout(resolve, 1))
    } while (inFlight > 0)
    await flushChannels()
  }

  return {
    tabs,
    /** Each tab's sign-out reasons, in tab order. */
    signOuts,
    openTab,
    settle,
    advance: (ms: number) => time.advance(ms, settle),
    dispose() {
      for (const tab of tabs) tab.dispose()
    },
  }
}

export type TabsHarness = ReturnType<typeof createTabsHarness>
