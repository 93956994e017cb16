import type { Page } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import { chromiumForThisFile } from './harness/chromium'
import { jtiOf } from './harness/jwt'
import { signIn } from './harness/pageDriver'
import { type Scenario, startScenario } from './harness/scenario'

const chromium = chromiumForThisFile()

/** 20 s tokens refreshed 8 s before expiry: a refresh every 12 s of page time. */
const TIMINGS = { accessTokenTtlMs: 20_000, refreshWindowMs: 8_000, tickMs: 2_000 }
/** 40 steps, 100 real ms apart: 40 s of page time, across three refreshes. */
const STEPS = 40
const JOB = { intervalMs: 100, steps: STEPS }
const everyStep = Array.from({ length: STEPS }, (_, i) => i + 1)

async function runJob(scenario: Scenario, page: Page, name: string) {
  await page.evaluate((job) => {
    window.__e2e.jobs.start(job)
  }, name)
  const row = page.getByTestId(`job-${name}`)
  await expect.poll(() => row.getAttribute('data-done'), { timeout: 30_000 }).toBe('true')
  await expect(row.textContent()).resolves.toContain('missing none · duplicates 0')
  const seqs = (await row.getAttribute('data-seqs'))?.split(',').map(Number)
  expect(seqs).toEqual(everyStep)
  expect(scenario.refreshCount()).toBeGreaterThanOrEqual(2)
}

const socketsOf = (scenario: Scenario, job: string) =>
  scenario.backend.control.wsConnections().filter((record) => record.job === job)

/**
 * The job's sockets at a quiet moment: no handover half done (one socket open) and every
 * token they carry already seen by the harness. Refreshes go on meanwhile, so it polls.
 */
async function settledSockets(scenario: Scenario, job: string) {
  await expect
    .poll(() => {
      const sockets = socketsOf(scenario, job)
      const open = sockets.filter((socket) => socket.closedAt === null)
      const issued = scenario.issuedTokens.map(jtiOf)
      return open.length === 1 && sockets.every((socket) => issued.includes(socket.jti ?? ''))
    })
    .toBe(true)
  return socketsOf(scenario, job)
}

describe.each(['query', 'protocol'] as const)('the %s token strategy', (tokenStrategy) => {
  it('a job streams every step across refreshes; each new token gets a new socket', async () => {
    const scenario = await startScenario(chromium(), { ...TIMINGS, tokenStrategy, job: JOB })
    const page = await scenario.openTab()
    await signIn(page)
    await runJob(scenario, page, `report-${tokenStrategy}`)

    // One socket per token, in order, each authenticated with that token at upgrade.
    const sockets = await settledSockets(scenario, `report-${tokenStrategy}`)
    expect(sockets.length).toBeGreaterThanOrEqual(3)
    const tokens = scenario.issuedTokens.slice(0, sockets.length)
    expect(sockets.map((socket) => socket.jti)).toEqual(tokens.map(jtiOf))
    for (const socket of sockets) expect(socket.strategy).toBe(tokenStrategy)
    // Make before break: each new socket opened before the page closed the old one (1000).
    for (let i = 1; i < sockets.length; i += 1) {
      const [previous, next] = [sockets[i - 1], sockets[i]]
      expect(previous?.closeCode).toBe(1000)
      expect(next?.openedAt).toBeLessThanOrEqual(previous?.closedAt as number)
    }
    await scenario.screenshot(page, `4-websocket-${tokenStrategy}`)
  })
})

it('the message strategy re-authenticates in place: one socket, the newest token', async () => {
  const scenario = await startScenario(chromium(), {
    ...TIMINGS,
    tokenStrategy: 'message',
    job: JOB,
  })
  const page = await scenario.openTab()
  await signIn(page)
  await runJob(scenario, page, 'report-message')

  const sockets = socketsOf(scenario, 'report-message')
  expect(sockets).toHaveLength(1)
  expect(sockets[0]).toMatchObject({ strategy: 'message', closedAt: null })
  // The server's record follows each re-auth to the newest token (polled: refreshes go on).
  const newest = () => jtiOf(scenario.issuedTokens.at(-1) as string)
  await expect.poll(() => socketsOf(scenario, 'report-message')[0]?.jti === newest()).toBe(true)
  await scenario.screenshot(page, '4-websocket-message')
})
