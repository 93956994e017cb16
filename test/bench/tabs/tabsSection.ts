import { type AuthStore, createAuthStore } from '../../../src/createAuthStore'
import type { BroadcastChannelConstructor } from '../../../src/env/browser'
import { memoryStorage } from '../../../src/persistence/memoryStorage'
import type { Transport } from '../../../src/types'
import { startReferenceServer } from '../../server/referenceServer'
import { createFakeEnv, flushChannels } from '../../utils/fakeEnv'
import { createFakeLocks } from '../../utils/fakeLocks'
import { createFetchTransport } from '../../utils/fetchTransport'
import { createVirtualTime } from '../../utils/virtualTime'
import { fixed, type Section } from '../lib/report'

const MINUTE = 60_000
const HOUR = 60 * MINUTE
export const TAB_COUNTS = [1, 5, 20] as const
export const SIMULATED_HOURS = 2

/** Staggered: the tabs are opened one every 7 s after sign-in, so their ticks do not line up. */
const STAGGER_MS = 7_000

export interface TabsRow {
  tabs: number
  staggered: boolean
  hours: number
  validatePerHour: number
  refreshPerHour: number
  requestsPerHour: number
  refreshReuse: number
  signOuts: number
  wallSeconds: number
}

/**
 * `tabs` stores acting as tabs of one origin (as in test/tabs/manyTabs.test.ts): one shared
 * storage, Node's real BroadcastChannel, one in-process Web Locks stand-in, each tab its own
 * fetch transport to the reference backend over HTTP (rotation and reuse detection on). One
 * virtual clock for the tabs and the server; the user works in tab 1, one action a minute.
 */
export async function measureTabs(
  tabCount: number,
  staggered: boolean,
  hours = SIMULATED_HOURS,
): Promise<TabsRow> {
  const wallStart = performance.now()
  const time = createVirtualTime(Date.parse('2026-01-05T09:00:00Z'))
  const server = await startReferenceServer({ now: time.now })
  const storage = memoryStorage()
  const { locks } = createFakeLocks()
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
  const tabs: AuthStore[] = []
  let signOuts = 0
  const openTab = () => {
    const browser = createFakeEnv({
      locks,
      BroadcastChannel: BroadcastChannel as unknown as BroadcastChannelConstructor,
    })
    tabs.push(
      createAuthStore({
        transport: counted(createFetchTransport(server.url) as Transport<unknown>),
        storage,
        storageKey: `bench-tabs-${tabCount}`,
        devtools: false,
        now: time.now,
        timers: time.timers,
        random: () => 0.5,
        env: browser.env,
      }),
    )
    tabs.at(-1)?.subscribe((state, previous) => {
      if (state.status === 'signedOut' && previous.status !== 'signedOut') signOuts += 1
    })
  }
  // The network is idle: no request in flight and every broadcast delivered.
  const settle = async () => {
    do {
      await flushChannels()
      if (inFlight > 0) await new Promise((resolve) => setTimeout(resolve, 1))
    } while (inFlight > 0)
    await flushChannels()
  }
  try {
    if (!staggered) for (let i = 0; i < tabCount; i++) openTab()
    else openTab()
    await tabs[0]?.getState().login({ username: 'demo', password: 'demo' })
    await settle()
    // A tab opened later rehydrates the session from the shared storage.
    while (tabs.length < tabCount) {
      await time.advance(STAGGER_MS, settle)
      openTab()
      await settle()
    }
    server.control.resetCounts()
    for (let elapsed = 0; elapsed < hours * HOUR; elapsed += MINUTE) {
      await time.advance(MINUTE, settle)
      tabs[0]?.getState().recordActivity()
    }
    const counts = server.control.counts()
    const validates = counts['GET /auth/validate'] ?? 0
    const refreshes = counts['POST /auth/refresh'] ?? 0
    return {
      tabs: tabCount,
      staggered,
      hours,
      validatePerHour: validates / hours,
      refreshPerHour: refreshes / hours,
      requestsPerHour: (validates + refreshes) / hours,
      refreshReuse: counts['refresh:reuse'] ?? 0,
      signOuts,
      wallSeconds: (performance.now() - wallStart) / 1000,
    }
  } finally {
    for (const tab of tabs) tab.dispose()
    await server.close()
  }
}

export const tabsSection: Section = {
  id: 'tabs',
  title: '2. Tabs: server requests per hour with 1, 5 and 20 tabs',
  async run({ log }) {
    const rows: TabsRow[] = []
    for (const staggered of [false, true]) {
      for (const count of TAB_COUNTS) {
        rows.push(await measureTabs(count, staggered))
        log(`tabs: ${count}${staggered ? ' staggered' : ''} done`)
      }
    }
    return {
      data: { rows },
      tables: [
        {
          title: `${SIMULATED_HOURS} simulated hours, user active in one tab, reference backend over HTTP`,
          columns: [
            'tabs',
            'opened',
            'requests / hour',
            'validate / hour',
            'refresh / hour',
            'refresh-token reuse',
            'sign-outs',
            'wall time',
          ],
          rows: rows.map((row) => [
            row.tabs,
            row.staggered ? `one every ${STAGGER_MS / 1000} s` : 'together',
            fixed(row.requestsPerHour, 1),
            fixed(row.validatePerHour, 1),
            fixed(row.refreshPerHour, 1),
            row.refreshReuse,
            row.signOuts,
            `${fixed(row.wallSeconds, 1)} s`,
          ]),
          notes: [
            'Shared memory storage, Node BroadcastChannel, one in-process navigator.locks stand-in (test/utils/fakeLocks.ts), virtual time shared with the server. Counts are the server’s (`control.counts()`) over the simulated hours, after every tab is open.',
          ],
        },
      ],
    }
  },
}
