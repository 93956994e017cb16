import { expect, it } from 'vitest'
import { chromiumForThisFile } from './harness/chromium'
import { expectShownStatus, signIn, snapshot, WAIT } from './harness/pageDriver'
import { startScenario } from './harness/scenario'

const chromium = chromiumForThisFile()

const TICK = 2_000

it('a stopped backend degrades the session, even past token expiry; back up, it recovers without a reload', async () => {
  const scenario = await startScenario(chromium(), { tickMs: TICK })
  const page = await scenario.openTab()
  await signIn(page)
  const { token: firstToken, expiresAt } = await snapshot(page)
  await page.evaluate(() => {
    ;(window as unknown as { __loadMark: string }).__loadMark = 'same document'
  })

  await scenario.backend.control.down()
  const downAt = scenario.time.now()
  await expectShownStatus(page, 'degraded')
  await expect(page.getByTestId('signed-in').isVisible()).resolves.toBe(true)
  await expect(page.getByText('Connection problem, retrying').isVisible()).resolves.toBe(true)

  // Down for longer than a tick, and until the access token has run out: still signed in.
  // The retries keep passing through 'refreshing', so the state checked is the one the poll
  // saw settle back to 'degraded' (a second snapshot could land inside the next attempt).
  let during = await snapshot(page)
  await expect
    .poll(async () => {
      during = await snapshot(page)
      const { now, status } = during
      const longDown = now > (expiresAt as number) + TICK && now > downAt + 3 * TICK
      return status === 'signedOut' || (status === 'degraded' && longDown)
    }, WAIT)
    .toBe(true)
  expect(during).toMatchObject({ status: 'degraded', token: firstToken, errorKind: 'network' })
  await scenario.screenshot(page, '2-backend-stopped-degraded')

  await scenario.backend.control.up()
  await expectShownStatus(page, 'authenticated')
  const after = await snapshot(page)
  expect(after.token).not.toBe(firstToken)
  expect(after.errorKind).toBeNull()
  expect(after.expiresAt).toBeGreaterThan(after.now)
  await expect(
    page.evaluate(() => (window as unknown as { __loadMark?: string }).__loadMark),
  ).resolves.toBe('same document')
  await expect(page.getByTestId('signed-in').isVisible()).resolves.toBe(true)
  await scenario.screenshot(page, '2-backend-stopped-recovered')
})
