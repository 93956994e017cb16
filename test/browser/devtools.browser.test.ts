import { expect, it } from 'vitest'
import { authActions, schedulerActions, wsActions } from '../../src/index'
import { chromiumForThisFile } from './harness/chromium'
import { expectShownStatus, shownLog, signIn, signOut, snapshot } from './harness/pageDriver'
import { startScenario } from './harness/scenario'

const chromium = chromiumForThisFile()

const KNOWN_ACTIONS = new Set<string>([
  ...Object.values(authActions),
  ...Object.values(wsActions),
  ...Object.values(schedulerActions),
])

/**
 * Before the page's scripts run: a Redux DevTools extension that hands everything it is sent
 * to the test (as JSON, at the moment it is sent), across reloads.
 */
function installRecordingExtension() {
  const sink = (window as unknown as { __devtoolsSink: (kind: string, json: string) => void })
    .__devtoolsSink
  const record = (kind: string, args: unknown[]) => sink(kind, JSON.stringify(args))
  ;(window as unknown as { __REDUX_DEVTOOLS_EXTENSION__: unknown }).__REDUX_DEVTOOLS_EXTENSION__ = {
    connect(options: unknown) {
      record('connect', [options])
      return {
        init: (...args: unknown[]) => record('init', args),
        send: (...args: unknown[]) => record('send', args),
        subscribe: () => () => undefined,
        unsubscribe: () => undefined,
        error: (...args: unknown[]) => record('error', args),
      }
    },
  }
}

it('Redux DevTools get named actions and never a token, rehydrated session included', async () => {
  const scenario = await startScenario(chromium(), {
    accessTokenTtlMs: 20_000,
    refreshWindowMs: 8_000,
    tokenStrategy: 'query',
    job: { intervalMs: 50, steps: 20 },
    initScript: installRecordingExtension,
  })
  const received: Array<{ kind: string; json: string }> = []
  const actions = () =>
    received
      .filter((entry) => entry.kind === 'send')
      .map((entry) => (JSON.parse(entry.json)[0] as { type: string }).type)
  await scenario.context.exposeFunction('__devtoolsSink', (kind: string, json: string) => {
    received.push({ kind, json })
  })
  const page = await scenario.openTab()
  await signIn(page)
  await page.evaluate(() => {
    window.__e2e.jobs.start('export')
  })
  await page.getByRole('button', { name: 'Call GET /api/me' }).click()
  await expect.poll(() => page.getByTestId('api-answer').textContent()).toBe('200 demo')
  await expect.poll(() => scenario.refreshCount(), { timeout: 10_000 }).toBeGreaterThanOrEqual(1)
  await expect.poll(() => page.getByTestId('job-export').getAttribute('data-done')).toBe('true')

  // A reload rehydrates the session from localStorage: the devtools' first state holds it.
  await page.reload()
  await expectShownStatus(page, 'authenticated')
  const { token, refreshToken } = await snapshot(page)
  const stored = await page.evaluate(() => localStorage.getItem(window.__e2e.config.storageKey))
  expect(stored).toContain(token)
  await signOut(page)
  await expectShownStatus(page, 'signedOut')
  // The extension hears of it through an exposed function, a moment later.
  await expect.poll(() => actions()).toContain(authActions.logout)

  expect(received[0]).toMatchObject({ kind: 'connect' })
  expect(JSON.parse(received[0]?.json as string)[0]).toMatchObject({ name: 'e2e page' })
  const secrets = [token, refreshToken, ...scenario.issuedTokens, ...scenario.issuedRefreshTokens]
  expect(secrets.length).toBeGreaterThanOrEqual(6)
  const transcript = received.map((entry) => entry.json).join('\n')
  for (const secret of secrets) expect(transcript).not.toContain(secret as string)
  expect(transcript).not.toMatch(/eyJ[\w-]{8,}/)

  const inits = received
    .filter((entry) => entry.kind === 'init')
    .map((entry) => JSON.parse(entry.json)[0])
  expect(inits).toHaveLength(2)
  expect(inits[1]).toMatchObject({ token: 'eyJ…(redacted)', refreshToken: '…(redacted)' })

  // Every action has one of the library's names: nothing `anonymous`, nothing unnamed.
  for (const action of actions()) expect(KNOWN_ACTIONS).toContain(action)
  expect(actions()).toEqual(
    expect.arrayContaining([
      authActions.login,
      authActions.refreshPending,
      authActions.refreshFulfilled,
      authActions.logout,
      wsActions.connect,
      wsActions.open,
      wsActions.message,
    ]),
  )
  // The page's own log shows the same actions (it records what the store sends the extension).
  const shown = (await shownLog(page)).map((entry) => entry.action)
  expect(shown).toEqual(expect.arrayContaining(['@@INIT', authActions.logout]))
  await scenario.screenshot(page, '7-devtools')
})
