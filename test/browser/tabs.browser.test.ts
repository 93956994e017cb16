import type { Page } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import { chromiumForThisFile } from './harness/chromium'
import {
  devtoolsEntries,
  expectShownStatus,
  keepMouseBusy,
  type SessionSnapshot,
  signIn,
  signOut,
  snapshot,
  WAIT,
} from './harness/pageDriver'
import { type Scenario, type ScenarioOptions, startScenario } from './harness/scenario'

const chromium = chromiumForThisFile()

const TTL = 40_000
const WINDOW = 15_000
const TICK = 2_000
const IDLE = 20_000

/** Before the page's scripts run: a browser with neither BroadcastChannel nor Web Locks. */
function withoutBroadcastChannelAndLocks() {
  delete (window as { BroadcastChannel?: unknown }).BroadcastChannel
  Object.defineProperty(navigator, 'locks', { value: undefined, configurable: true })
}

async function openThreeTabs(options: ScenarioOptions) {
  const scenario = await startScenario(chromium(), options)
  const tabs = [await scenario.openTab(), await scenario.openTab(), await scenario.openTab()]
  const platform = await (tabs[0] as Page).evaluate(() => ({
    broadcastChannel: typeof window.BroadcastChannel,
    locks: typeof navigator.locks,
  }))
  expect(platform).toEqual(
    options.initScript
      ? { broadcastChannel: 'undefined', locks: 'undefined' }
      : { broadcastChannel: 'function', locks: 'object' },
  )
  return { scenario, tabs }
}

/**
 * Waits until every tab holds the same session (a new token reaches them a moment apart), or
 * until one is signed out; then checks they are all in, with one token, and returns it.
 */
async function oneSessionIn(tabs: Page[]): Promise<string> {
  let sessions: SessionSnapshot[] = []
  await expect
    .poll(async () => {
      sessions = await Promise.all(tabs.map(snapshot))
      const tokens = new Set(sessions.map((session) => session.token))
      return sessions.some((session) => session.status === 'signedOut') || tokens.size === 1
    }, WAIT)
    .toBe(true)
  for (const session of sessions) expect(session.status).not.toBe('signedOut')
  expect(new Set(sessions.map((session) => session.token)).size).toBe(1)
  return sessions[0]?.token as string
}

/** The laptop sleeps 10 minutes and wakes: every tab hears `online` at the same moment. */
async function sleepAndWakeAll(scenario: Scenario, tabs: Page[]) {
  const sleepMs = 10 * 60_000
  scenario.time.jump(sleepMs)
  await Promise.all(tabs.map((tab) => tab.evaluate((ms) => window.__e2e.time.jump(ms), sleepMs)))
  await Promise.all(
    tabs.map((tab) => tab.evaluate(() => window.dispatchEvent(new Event('online')))),
  )
}

describe.each([
  { over: 'BroadcastChannel and navigator.locks', initScript: undefined },
  {
    over: 'storage events and a storage lease',
    initScript: withoutBroadcastChannelAndLocks,
  },
])('three tabs over $over', ({ initScript }) => {
  it('share sign-in, activity, the idle timeout and sign-out', async () => {
    // Tokens that outlive the test: this one is about the messages, not the refresh.
    const { scenario, tabs } = await openThreeTabs({
      accessTokenTtlMs: 600_000,
      tickMs: TICK,
      idleTimeoutMs: IDLE,
      initScript,
    })
    const [first, second, third] = tabs as [Page, Page, Page]
    await signIn(first)
    for (const tab of tabs) await expectShownStatus(tab, 'authenticated')

    // Someone works in the first tab only, for three idle timeouts: the others stay too.
    const until = scenario.time.now() + 3 * IDLE
    await keepMouseBusy(first, async () => scenario.time.now() >= until)
    const idleFrom = scenario.time.now()
    await oneSessionIn(tabs)
    for (const tab of tabs) {
      const actions = (await devtoolsEntries(tab)).map((entry) => entry.type)
      expect(actions).not.toContain('auth/logout')
      expect(actions).not.toContain('tabs/signOut')
    }
    if (initScript) {
      // The fallback really carried it: the message bus lives in localStorage.
      const keys = await first.evaluate(() => Object.keys(localStorage))
      expect(keys).toEqual(expect.arrayContaining([expect.stringMatching(/:message$/)]))
    }
    await scenario.screenshot(third, `5-tabs-${initScript ? 'fallbacks' : 'native'}-active`)

    // Nobody works any more: every tab signs out, not before the idle timeout.
    for (const tab of tabs) await expectShownStatus(tab, 'signedOut')
    for (const tab of tabs) {
      const { signOutReason, now } = await snapshot(tab)
      expect(signOutReason).toBe('idle')
      expect(now).toBeGreaterThanOrEqual(idleFrom + IDLE - TICK)
    }

    // Signed in again from the second tab, signed out from the third: everywhere, both times.
    await signIn(second)
    for (const tab of tabs) await expectShownStatus(tab, 'authenticated')
    await signOut(third)
    for (const tab of tabs) {
      await expectShownStatus(tab, 'signedOut')
      await tab.getByTestId('sign-in').waitFor()
      expect((await snapshot(tab)).signOutReason).toBe('user')
    }
    await scenario.screenshot(first, `5-tabs-${initScript ? 'fallbacks' : 'native'}-signed-out`)
  })

  it('refresh once per token lifetime for all, and once for all when they wake together', async () => {
    const { scenario, tabs } = await openThreeTabs({
      accessTokenTtlMs: TTL,
      refreshWindowMs: WINDOW,
      tickMs: TICK,
      initScript,
    })
    await signIn(tabs[0] as Page)
    for (const tab of tabs) await expectShownStatus(tab, 'authenticated')

    // Two lifetimes: two refreshes in all, a lifetime less the window apart.
    await expect
      .poll(async () => {
        const signedOut = (await Promise.all(tabs.map(snapshot))).some(
          (session) => session.status === 'signedOut',
        )
        return signedOut || scenario.refreshesSent().length >= 2
      }, WAIT)
      .toBe(true)
    let token = await oneSessionIn(tabs)
    const [firstAt, secondAt] = scenario.refreshesSent() as [number, number]
    expect(secondAt - firstAt).toBeGreaterThan(TTL - WINDOW - TICK)
    await expect.poll(() => scenario.refreshCount()).toBe(2)

    // Three wake-ups of all tabs at once: one refresh each time, shared by all.
    for (let wake = 1; wake <= 3; wake += 1) {
      const previous = token
      await sleepAndWakeAll(scenario, tabs)
      await expect
        .poll(async () => {
          const sessions = await Promise.all(tabs.map(snapshot))
          return sessions.every((s) => s.status === 'signedOut' || s.token !== previous)
        }, WAIT)
        .toBe(true)
      token = await oneSessionIn(tabs)
      await expect.poll(() => scenario.refreshCount()).toBe(2 + wake)
    }
    expect(scenario.backend.control.counts()['refresh:reuse']).toBeUndefined()
  })
})
