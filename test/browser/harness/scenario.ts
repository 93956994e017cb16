import { mkdir } from 'node:fs/promises'
import { fileURLToPath } from 'node:url'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { inject, onTestFinished } from 'vitest'
import type { TokenStrategy } from '../../../src/index'
import {
  type JobOptions,
  type ReferenceServer,
  startReferenceServer,
} from '../../server/referenceServer'
import { type AcceleratedTime, createAcceleratedTime } from '../app/acceleratedTime'
import { DEFAULT_PAGE_CONFIG, type PageConfig, pageUrl } from '../app/pageConfig'
import { type BackendTraffic, recordBackendTraffic } from './backendTraffic'

const SCREENSHOTS = fileURLToPath(new URL('../__screenshots__/', import.meta.url))

export interface ScenarioOptions {
  /** How much faster than the wall clock page and backend run. @default 10 */
  speed?: number
  /** Page time, like every duration here. @default 40_000 */
  accessTokenTtlMs?: number
  /** @default 3_600_000 */
  refreshTokenIdleTtlMs?: number
  /** The backend's job stream; its `intervalMs` is wall-clock time. */
  job?: JobOptions
  tickMs?: number
  refreshWindowMs?: number
  idleTimeoutMs?: number
  tokenStrategy?: TokenStrategy
  /** Runs in every page before the page's own scripts. */
  initScript?: () => void
}

export interface Scenario extends BackendTraffic {
  backend: ReferenceServer
  /** The harness's copy of the page clock, which is also the backend's clock. */
  time: AcceleratedTime
  config: PageConfig
  context: BrowserContext
  /** A new tab of the one browser context, with the page loaded and its store created. */
  openTab(): Promise<Page>
  /** `POST /auth/refresh` as the backend counted them. */
  refreshCount(): number
  /** When the pages sent each `POST /auth/refresh`, page time, as the browser reported them. */
  refreshesSent(): number[]
  screenshot(page: Page, name: string): Promise<void>
}

/**
 * One scenario: its own backend (in this process, on 127.0.0.1 port 0, CORS for the page's
 * origin) and its own browser context, both closed when the test ends. Time runs `speed`
 * times faster on both sides, so a 40 s token lives 4 s at the default speed.
 */
export async function startScenario(
  browser: Browser,
  options: ScenarioOptions = {},
): Promise<Scenario> {
  const appUrl = inject('appUrl')
  const speed = options.speed ?? 10
  // Page and backend run one clock: the same epoch and speed, read off the one wall clock.
  const epoch = Date.now()
  const time = createAcceleratedTime({ epoch, speed })
  const backend = await startReferenceServer({
    now: time.now,
    accessTokenTtlMs: options.accessTokenTtlMs ?? 40_000,
    refreshTokenIdleTtlMs: options.refreshTokenIdleTtlMs ?? 3_600_000,
    corsOrigins: [new URL(appUrl).origin],
    exposeControl: true,
    job: options.job,
  })
  const config: PageConfig = {
    ...DEFAULT_PAGE_CONFIG,
    apiUrl: backend.url,
    wsUrl: backend.wsUrl,
    epoch,
    speed,
    ...pick(options, ['tickMs', 'refreshWindowMs', 'idleTimeoutMs', 'tokenStrategy']),
  }
  const context = await browser.newContext({ viewport: { width: 1100, height: 900 } })
  if (options.initScript) await context.addInitScript(options.initScript)

  const tabs: Page[] = []
  const traffic = recordBackendTraffic(context, backend.url, time.now, tabs)
  const diagnostics: string[] = []

  // A failure report needs the pages, so it is written before they are closed.
  onTestFinished(async ({ task }) => {
    if (task.result?.state === 'fail') {
      const trails = await Promise.all(tabs.map((page) => devtoolsTrail(page).catch(String)))
      console.log(
        [
          `backend counts: ${JSON.stringify(backend.control.counts())}`,
          ...trails.map((trail, tab) => `tab ${tab} devtools: ${trail}`),
          ...diagnostics,
        ].join('\n'),
      )
    }
    await context.close()
    await backend.close()
  })

  const scenario: Scenario = {
    backend,
    time,
    config,
    context,
    ...traffic,
    async openTab() {
      const page = await context.newPage()
      const tab = tabs.push(page) - 1
      page.on('console', (message) => {
        if (message.type() === 'error' || message.type() === 'warning') {
          diagnostics.push(`tab ${tab} console.${message.type()}: ${message.text()}`)
        }
      })
      page.on('pageerror', (error) => diagnostics.push(`tab ${tab} page error: ${error.message}`))
      await page.goto(pageUrl(appUrl, config))
      await page.waitForFunction(() => window.__store !== undefined)
      return page
    },
    refreshCount: () => backend.control.counts()['POST /auth/refresh'] ?? 0,
    refreshesSent: () =>
      traffic.requests
        .filter((request) => request.method === 'POST' && request.path === '/auth/refresh')
        .map((request) => request.at),
    async screenshot(page, name) {
      await mkdir(SCREENSHOTS, { recursive: true })
      await page.screenshot({ path: `${SCREENSHOTS}${name}.png`, fullPage: true })
    },
  }
  return scenario
}

function pick<T extends object, K extends keyof T>(source: T, keys: K[]): Partial<Pick<T, K>> {
  const picked: Partial<Pick<T, K>> = {}
  for (const key of keys) if (source[key] !== undefined) picked[key] = source[key]
  return picked
}

/** The page's devtools actions, one line, for a failure report. */
function devtoolsTrail(page: Page): Promise<string> {
  return page.evaluate(() =>
    window.__e2e.devtools.entries
      .get()
      .filter((entry) => entry.type !== 'ws/message')
      .map((entry) => `${entry.type}(${entry.status})`)
      .join(' '),
  )
}
