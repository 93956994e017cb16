import type { Page } from 'playwright-core'
import { expect, it } from 'vitest'
import { chromiumForThisFile } from './harness/chromium'
import { expectShownStatus, shownLog, signIn, snapshot } from './harness/pageDriver'
import { startScenario } from './harness/scenario'

const chromium = chromiumForThisFile()

/** Rewrites the persisted session in localStorage, as another script or a bad extension might. */
async function tamperStoredSession(page: Page, change: Record<string, unknown>) {
  await page.evaluate(
    ({ key, change }) => {
      const stored = JSON.parse(localStorage.getItem(key) ?? 'null')
      localStorage.setItem(
        key,
        JSON.stringify({ ...stored, state: { ...stored.state, ...change } }),
      )
    },
    { key: (await page.evaluate(() => window.__e2e.config.storageKey)) as string, change },
  )
}

const TICK = 2_000

/** The same JWT with its signature changed: still decodes, no longer verifies. */
const forge = (token: string) =>
  token.replace(/.{6}$/, (tail) => (tail === 'AAAAAA' ? 'BBBBBB' : 'AAAAAA'))

it('a forged stored token: after a reload the first check signs out and the sign-in view shows', async () => {
  // Real time (speed 1): the check below allows one tick of page time, which at the default ×10
  // is 200 real ms, and a busy CI machine took 209 for the two round trips.
  const scenario = await startScenario(chromium(), { speed: 1 })
  const page = await scenario.openTab()
  await signIn(page)
  const { token } = await snapshot(page)
  const forged = forge(token as string)
  await tamperStoredSession(page, { token: forged, refreshToken: 'not-a-refresh-token' })

  await page.reload()
  await expectShownStatus(page, 'signedOut')
  await page.getByTestId('sign-in').waitFor()
  expect(await snapshot(page)).toMatchObject({ token: null, signOutReason: 'unauthorized' })
  // The server said no: the forged token was refused, then the refresh token too.
  const afterReload = scenario.requests.filter((request) => request.bearer === forged)
  expect(afterReload.map((request) => `${request.method} ${request.path}`)).toContain(
    'GET /auth/validate',
  )
  // At the first check, at once after the reload: not when the token would be due (25 s later).
  const log = await shownLog(page)
  expect(log.map((entry) => entry.action)).toEqual([
    '@@INIT',
    'auth/refresh/pending',
    'auth/refresh/rejected',
  ])
  expect((log[2]?.at as number) - (log[0]?.at as number)).toBeLessThan(TICK)
  await scenario.screenshot(page, '3-invalid-token-forged')
})

it('a stored token that is not a JWT is dropped on reload: signed out without asking the server', async () => {
  const scenario = await startScenario(chromium())
  const page = await scenario.openTab()
  await signIn(page)
  await tamperStoredSession(page, { token: 'garbage' })

  await page.reload()
  await page.getByTestId('sign-in').waitFor()
  expect(await snapshot(page)).toMatchObject({ status: 'signedOut', errorKind: 'invalid_token' })
  // This document never called the backend (the browser's own record of what it fetched).
  const fetched = await page.evaluate(
    (api) =>
      performance
        .getEntriesByType('resource')
        .map((entry) => entry.name)
        .filter((name) => name.startsWith(api)),
    scenario.config.apiUrl,
  )
  expect(fetched).toEqual([])
  await scenario.screenshot(page, '3-invalid-token-garbage')
})

it('a session revoked on the server: the next check signs out and the sign-in view shows', async () => {
  // Real time (speed 1), as for the forged token: the bound below leaves the two round trips as
  // little as one tick of page time, 200 real ms at the default ×10.
  const scenario = await startScenario(chromium(), { speed: 1, tickMs: TICK })
  const page = await scenario.openTab()
  await signIn(page)

  scenario.backend.control.revokeSession()
  const revokedAt = scenario.time.now()
  const sentBefore = scenario.requests.length
  await expectShownStatus(page, 'signedOut')
  await page.getByTestId('sign-in').waitFor()
  expect(await snapshot(page)).toMatchObject({ token: null, signOutReason: 'unauthorized' })
  // The next tick's validation got the 401 (and the refresh token then had no say): within a
  // tick or so, long before the token would have been refreshed anyway.
  const signedOut = (await shownLog(page)).find((entry) => entry.action === 'auth/refresh/rejected')
  expect((signedOut?.at as number) - revokedAt).toBeLessThan(2 * TICK)
  const sent = scenario.requests.slice(sentBefore).filter((request) => request.method !== 'OPTIONS')
  expect(sent.map((request) => `${request.method} ${request.path}`).slice(0, 2)).toEqual([
    'GET /auth/validate',
    'POST /auth/refresh',
  ])
  await expect(page.getByTestId('status').getAttribute('data-reason')).resolves.toBe('unauthorized')
  await scenario.screenshot(page, '3-invalid-token-revoked')
})
