import { expect, it } from 'vitest'
import { chromiumForThisFile } from './harness/chromium'
import { expectShownStatus, setVisibility, signIn, snapshot } from './harness/pageDriver'
import { startScenario } from './harness/scenario'

const chromium = chromiumForThisFile()

const TICK = 5_000
const SLEEP = 10 * 60_000

/**
 * Real time (speed 1) and a 5 s tick, so "at once" (well under a second) is told apart from
 * "at the next tick". The tab is hidden, then the machine sleeps: page and backend clocks leap
 * 10 minutes while the tab's timers do not move, as with a closed laptop. The 40 s token is
 * long expired when the user comes back to the tab.
 */
it('a background tab whose token expired refreshes as soon as it is shown, before any other call', async () => {
  const scenario = await startScenario(chromium(), { speed: 1, tickMs: TICK })
  const page = await scenario.openTab()
  await signIn(page)
  const signedInAt = scenario.time.now()
  const { token: staleToken } = await snapshot(page)

  await setVisibility(page, 'hidden')
  scenario.time.jump(SLEEP)
  await page.evaluate((ms) => window.__e2e.time.jump(ms), SLEEP)
  const hidden = await snapshot(page)
  expect(hidden.expiresAt).toBeLessThan(hidden.now)

  const sentBefore = scenario.requests.length
  const shownAt = scenario.time.now()
  // The tick due since sign-in is still seconds away: only the tab coming back can explain a refresh now.
  expect(shownAt - SLEEP - signedInAt).toBeLessThan(TICK - 2_000)
  await setVisibility(page, 'visible')

  // As the browser sent them (the backend's counts can run ahead of Playwright's events).
  const sentSinceShown = () =>
    scenario.requests.slice(sentBefore).filter((request) => request.method !== 'OPTIONS')
  await expect
    .poll(() => sentSinceShown().length, { timeout: 1_500, interval: 20 })
    .toBeGreaterThan(0)
  expect(sentSinceShown()[0]).toMatchObject({ method: 'POST', path: '/auth/refresh' })
  expect((sentSinceShown()[0]?.at as number) - shownAt).toBeLessThan(1_000)

  await expectShownStatus(page, 'authenticated')
  // Nothing went out with the expired token: no validation, no API call.
  expect(sentSinceShown().filter((request) => request.bearer === staleToken)).toEqual([])
  const after = await snapshot(page)
  expect(after.token).not.toBe(staleToken)
  expect(after.expiresAt).toBeGreaterThan(after.now)
  // One refresh for the burst of visibilitychange and focus.
  expect(scenario.refreshCount()).toBe(1)
  await scenario.screenshot(page, '6-background-tab')
})
