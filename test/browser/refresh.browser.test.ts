import { expect, it } from 'vitest'
import { chromiumForThisFile } from './harness/chromium'
import { shownLog, signIn, snapshot, waitForPageTime } from './harness/pageDriver'
import { startScenario } from './harness/scenario'

const chromium = chromiumForThisFile()

const TTL = 40_000
const WINDOW = 15_000
const TICK = 2_000

it('stays signed in across three token lifetimes, one refresh per lifetime inside the window', async () => {
  const scenario = await startScenario(chromium(), {
    accessTokenTtlMs: TTL,
    refreshWindowMs: WINDOW,
    tickMs: TICK,
  })
  const page = await scenario.openTab()
  await signIn(page)
  const signedInAt = scenario.time.now()

  await waitForPageTime(page, signedInAt + 3 * TTL)

  const session = await snapshot(page)
  expect(session.status).toBe('authenticated')
  await expect(page.getByTestId('signed-in').isVisible()).resolves.toBe(true)

  const log = await shownLog(page)
  expect(log.map((entry) => entry.action)).not.toContain('auth/logout')
  const refreshes = log.filter((entry) => entry.action === 'auth/refresh/pending')
  // A token is refreshed once, 25 s into its 40 s: three lifetimes hold four refreshes.
  expect(refreshes).toHaveLength(4)
  for (const refresh of refreshes) {
    // At the first tick inside the window: at most the window left, at least a tick (and slack) less.
    expect(refresh.leftMs).toBeLessThanOrEqual(WINDOW)
    expect(refresh.leftMs).toBeGreaterThan(WINDOW - 2 * TICK)
  }
  expect(log.filter((entry) => entry.action === 'auth/refresh/fulfilled')).toHaveLength(4)

  // The server saw exactly those refreshes, one lifetime-minus-window apart.
  expect(scenario.refreshCount()).toBe(4)
  const sentAt = scenario.refreshesSent()
  expect(sentAt).toHaveLength(4)
  for (let i = 1; i < sentAt.length; i += 1) {
    const gap = (sentAt[i] as number) - (sentAt[i - 1] as number)
    expect(gap).toBeGreaterThan(TTL - WINDOW - TICK)
    expect(gap).toBeLessThan(TTL - WINDOW + 2 * TICK)
  }
  await scenario.screenshot(page, '1-normal-refresh')
})
