// @vitest-environment node
import { afterEach, describe, expect, it } from 'vitest'
import type { AuthStore } from '../../src/createAuthStore'
import type { BroadcastChannelConstructor, LockManagerLike } from '../../src/env/browser'
import { startReferenceServer } from '../server/referenceServer'
import { createFakeLocks } from '../utils/fakeLocks'
import { checkInvariants, observeTransport } from '../utils/invariants'
import { createTabsHarness, nodeBroadcastChannel } from '../utils/tabsHarness'
import { createVirtualTime } from '../utils/virtualTime'

const MINUTE = 60_000
const HOUR = 60 * MINUTE
let keyCounter = 0

interface TabsOptions {
  tabs: number
  locks?: LockManagerLike | undefined
  BroadcastChannel?: BroadcastChannelConstructor | undefined
}

/**
 * Several stores in one process acting as tabs of one origin (test/utils/tabsHarness.ts),
 * against the reference backend over real HTTP with refresh-token rotation and reuse detection
 * on. One virtual clock for all, and the server.
 */
async function openTabs(options: TabsOptions) {
  const time = createVirtualTime(Date.parse('2026-01-01T09:00:00Z'))
  const server = await startReferenceServer({ now: time.now })
  const harness = createTabsHarness({
    server,
    time,
    storageKey: `tabs-${++keyCounter}-${Date.now()}`,
    locks: options.locks,
    BroadcastChannel: options.BroadcastChannel,
    invariants: { observe: observeTransport, check: checkInvariants },
  })
  for (let i = 0; i < options.tabs; i++) harness.openTab()
  return {
    ...harness,
    server,
    counts: () => server.control.counts(),
    /** The user works in tab `active` for `ms`: a pointer event a minute, time moving on. */
    async activeFor(ms: number, active = 0) {
      for (let elapsed = 0; elapsed < ms; elapsed += MINUTE) {
        await harness.advance(MINUTE)
        harness.tabs[active]?.getState().recordActivity()
      }
    },
    async close() {
      harness.dispose()
      await server.close()
    },
  }
}

let opened: Awaited<ReturnType<typeof openTabs>> | null = null
afterEach(async () => {
  await opened?.close()
  opened = null
})

const statuses = (tabs: AuthStore[]) => tabs.map((tab) => tab.getState().status)

describe('many tabs, one session', () => {
  it('login in tab 1 signs in the others; logout in tab 1 signs them all out with its reason', async () => {
    opened = await openTabs({
      tabs: 5,
      locks: createFakeLocks().locks,
      BroadcastChannel: nodeBroadcastChannel,
    })
    const { tabs, settle, signOuts } = opened
    await tabs[0]?.getState().login({ username: 'demo', password: 'demo' })
    await settle()
    expect(statuses(tabs)).toEqual(Array(5).fill('authenticated'))
    expect(new Set(tabs.map((tab) => tab.getState().token)).size).toBe(1)
    await tabs[0]?.getState().logout()
    await settle()
    expect(statuses(tabs)).toEqual(Array(5).fill('signedOut'))
    expect(signOuts).toEqual(Array(5).fill(['user']))
  })

  it.each([
    ['navigator.locks', () => createFakeLocks().locks],
    ['the storage lease fallback (no navigator.locks)', () => undefined],
  ])(
    '5 tabs, 8 active hours with %s: one refresh per token lifetime in total, no reuse, no sign-out',
    async (_, locks) => {
      opened = await openTabs({ tabs: 5, locks: locks(), BroadcastChannel: nodeBroadcastChannel })
      const { tabs, settle, signOuts, counts, activeFor } = opened
      await tabs[0]?.getState().login({ username: 'demo', password: 'demo' })
      await settle()
      // The user works in tab 3 only: activity in one tab keeps all tabs alive.
      await activeFor(8 * HOUR, 2)
      expect(signOuts).toEqual(Array(5).fill([]))
      expect(statuses(tabs)).toEqual(Array(5).fill('authenticated'))
      expect(counts()['POST /auth/refresh']).toBe(8)
      expect(counts()['refresh:reuse'] ?? 0).toBe(0)
      // One tab alone validates once a tick, less the ticks that refreshed instead: ≤ 60 an hour.
      const validationsPerHour = (counts()['GET /auth/validate'] ?? 0) / 8
      expect(validationsPerHour).toBeLessThanOrEqual(60)
      expect(validationsPerHour).toBeGreaterThan(50)
    },
  )

  it.each([
    ['navigator.locks', () => createFakeLocks().locks],
    ['the storage lease fallback', () => undefined],
  ])(
    '5 tabs refreshing at the same moment (%s) cost one request, and the rest adopt its token',
    async (_, locks) => {
      opened = await openTabs({ tabs: 5, locks: locks(), BroadcastChannel: nodeBroadcastChannel })
      const { tabs, settle, signOuts, counts } = opened
      await tabs[0]?.getState().login({ username: 'demo', password: 'demo' })
      await settle()
      // All five wake from sleep together, each wanting a new token.
      const refreshes = Promise.all(tabs.map((tab) => tab.getState().refresh()))
      await opened.advance(30_000) // time for the waiting tabs' lock polls
      const results = await refreshes
      expect(results).toEqual(Array(5).fill(true))
      expect(counts()['POST /auth/refresh']).toBe(1)
      expect(counts()['refresh:reuse'] ?? 0).toBe(0)
      expect(new Set(tabs.map((tab) => tab.getState().token)).size).toBe(1)
      expect(signOuts).toEqual(Array(5).fill([]))
    },
  )

  it('all tabs sign out together at the idle timeout', async () => {
    opened = await openTabs({
      tabs: 3,
      locks: createFakeLocks().locks,
      BroadcastChannel: nodeBroadcastChannel,
    })
    const { tabs, settle, signOuts, activeFor, advance } = opened
    await tabs[0]?.getState().login({ username: 'demo', password: 'demo' })
    await settle()
    await activeFor(20 * MINUTE, 1)
    await advance(59 * MINUTE)
    expect(statuses(tabs)).toEqual(Array(3).fill('authenticated'))
    await advance(2 * MINUTE)
    expect(signOuts).toEqual(Array(3).fill(['idle']))
  })

  it('an orphaned lock that is never granted does not stop refreshes', async () => {
    const locks = createFakeLocks()
    opened = await openTabs({ tabs: 1, locks: locks.locks, BroadcastChannel: nodeBroadcastChannel })
    locks.hold('zustand-auth-session:' + 'never') // unrelated lock: sanity
    const { tabs, settle, counts, activeFor } = opened
    await tabs[0]?.getState().login({ username: 'demo', password: 'demo' })
    await settle()
    const storageKey = (tabs[0]?.persist.getOptions().name ?? '') as string
    locks.hold(`zustand-auth-session:${storageKey}`)
    await activeFor(2 * HOUR)
    expect(counts()['POST /auth/refresh']).toBe(2)
    expect(tabs[0]?.getState().status).toBe('authenticated')
  })

  it('without BroadcastChannel (in one process: no storage events either) tabs stay correct alone', async () => {
    opened = await openTabs({ tabs: 2, locks: undefined, BroadcastChannel: undefined })
    const { tabs, settle, signOuts, counts, activeFor } = opened
    await tabs[0]?.getState().login({ username: 'demo', password: 'demo' })
    await tabs[1]?.getState().login({ username: 'demo', password: 'demo' })
    await settle()
    for (let i = 0; i < 2 * 60; i++) {
      await activeFor(MINUTE, 0)
      tabs[1]?.getState().recordActivity()
    }
    expect(signOuts).toEqual([[], []])
    expect(counts()['refresh:reuse'] ?? 0).toBe(0)
  })
})
