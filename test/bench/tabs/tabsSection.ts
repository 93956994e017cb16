import { startReferenceServer } from '../../server/referenceServer'
import { createFakeLocks } from '../../utils/fakeLocks'
import { createTabsHarness, nodeBroadcastChannel } from '../../utils/tabsHarness'
import { createVirtualTime } from '../../utils/virtualTime'
import { policyNamed } from '../faults/policies'
import { fixed, type Section } from '../lib/report'

const MINUTE = 60_000
const HOUR = 60 * MINUTE
export const TAB_COUNTS = [1, 5, 20] as const
export const SIMULATED_HOURS = 2

/** Staggered: the tabs are opened one every 7 s after sign-in, so their ticks do not line up. */
const STAGGER_MS = 7_000

export type TabsConfiguration = 'library' | 'first fix'

export interface TabsRow {
  configuration: TabsConfiguration
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
  configuration: TabsConfiguration = 'library',
): Promise<TabsRow> {
  // The first fix had no cross-tab coordination: each tab is its own session, signed in by
  // itself (the most generous baseline: shared tokens without coordination would reuse
  // rotated refresh tokens and end the session), with the first fix's store options.
  const firstFix = configuration === 'first fix'
  const wallStart = performance.now()
  const time = createVirtualTime(Date.parse('2026-01-05T09:00:00Z'))
  const server = await startReferenceServer({ now: time.now })
  const harness = createTabsHarness({
    server,
    time,
    storageKey: `bench-tabs-${tabCount}`,
    locks: createFakeLocks().locks,
    BroadcastChannel: nodeBroadcastChannel,
    privateStorage: firstFix,
    storeOptions: firstFix ? policyNamed('window-fix').options : {},
  })
  const { tabs, settle } = harness
  try {
    if (!staggered) for (let i = 0; i < tabCount; i++) harness.openTab()
    else harness.openTab()
    for (const tab of firstFix ? tabs : tabs.slice(0, 1)) {
      await tab.getState().login({ username: 'demo', password: 'demo' })
    }
    await settle()
    // A tab opened later rehydrates the session from the shared storage.
    while (tabs.length < tabCount) {
      await harness.advance(STAGGER_MS)
      const tab = harness.openTab()
      if (firstFix) await tab.getState().login({ username: 'demo', password: 'demo' })
      await settle()
    }
    server.control.resetCounts()
    for (let elapsed = 0; elapsed < hours * HOUR; elapsed += MINUTE) {
      await harness.advance(MINUTE)
      tabs[0]?.getState().recordActivity()
    }
    const counts = server.control.counts()
    const validates = counts['GET /auth/validate'] ?? 0
    const refreshes = counts['POST /auth/refresh'] ?? 0
    return {
      configuration,
      tabs: tabCount,
      staggered,
      hours,
      validatePerHour: validates / hours,
      refreshPerHour: refreshes / hours,
      requestsPerHour: (validates + refreshes) / hours,
      refreshReuse: counts['refresh:reuse'] ?? 0,
      signOuts: harness.signOuts.flat().length,
      wallSeconds: (performance.now() - wallStart) / 1000,
    }
  } finally {
    harness.dispose()
    await server.close()
  }
}

export const tabsSection: Section = {
  id: 'tabs',
  title: '2. Tabs: server requests per hour with 1, 5 and 20 tabs, against the first fix',
  async run({ log }) {
    const rows: TabsRow[] = []
    for (const staggered of [false, true]) {
      for (const count of TAB_COUNTS) {
        rows.push(await measureTabs(count, staggered))
        log(`tabs: ${count}${staggered ? ' staggered' : ''} done`)
      }
    }
    for (const count of TAB_COUNTS) {
      rows.push(await measureTabs(count, false, SIMULATED_HOURS, 'first fix'))
      log(`tabs: first fix, ${count} done`)
    }
    return {
      data: { rows },
      tables: [
        {
          title: `${SIMULATED_HOURS} simulated hours, user active in one tab, reference backend over HTTP`,
          columns: [
            'configuration',
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
            row.configuration,
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
            'first fix: the same store with the first fix’s options, each tab its own session in memory (no cross-tab sharing, as that app had none); its sign-outs are the idle timeout of the tabs the user did not touch, as activity is not shared either.',
            'Shared memory storage, Node BroadcastChannel, one in-process navigator.locks stand-in (test/utils/fakeLocks.ts), virtual time shared with the server. Counts are the server’s (`control.counts()`) over the simulated hours, after every tab is open.',
          ],
        },
      ],
    }
  },
}
