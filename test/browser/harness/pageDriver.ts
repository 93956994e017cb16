import type { Page } from 'playwright-core'
import { expect } from 'vitest'
import type { AuthStatus, SignOutReason } from '../../../src/index'
import type { DevtoolsEntry } from '../app/devtoolsLog'

export const DEMO = { username: 'demo', password: 'demo' } as const

/** Generous: real time on a loaded 2-core machine, with Chromium, Node and the backend. */
export const WAIT = { timeout: 15_000, interval: 50 } as const

/** The page's session as its store holds it, and the page's clock. */
export interface SessionSnapshot {
  status: AuthStatus
  token: string | null
  refreshToken: string | null
  expiresAt: number | null
  signOutReason: SignOutReason | null
  errorKind: string | null
  now: number
}

export function snapshot(page: Page): Promise<SessionSnapshot> {
  return page.evaluate(() => {
    const { status, token, refreshToken, expiresAt, signOutReason, error } =
      window.__store.getState()
    const now = window.__e2e.time.now()
    return {
      status,
      token,
      refreshToken,
      expiresAt,
      signOutReason,
      errorKind: error?.kind ?? null,
      now,
    }
  })
}

/** What the page shows: the status line's `data-status`. */
export function shownStatus(page: Page): Promise<string | null> {
  return page.getByTestId('status').getAttribute('data-status')
}

export async function expectShownStatus(page: Page, status: AuthStatus, wait = WAIT) {
  await expect.poll(() => shownStatus(page), wait).toBe(status)
}

/** Signs in through the page's form, as a person would, and waits for the signed-in view. */
export async function signIn(page: Page): Promise<void> {
  const form = page.getByTestId('sign-in')
  await form.getByLabel('Username').fill(DEMO.username)
  await form.getByLabel('Password').fill(DEMO.password)
  await form.getByRole('button', { name: 'Sign in' }).click()
  await page.getByTestId('signed-in').waitFor()
}

export async function signOut(page: Page): Promise<void> {
  await page.getByTestId('signed-in').getByRole('button', { name: 'Sign out' }).click()
}

/** The devtools log as the page shows it (routine actions are not shown). */
export function shownLog(
  page: Page,
): Promise<Array<{ action: string; at: number; leftMs: number | null }>> {
  return page
    .getByTestId('log')
    .locator('li')
    .evaluateAll((items) =>
      items.map((item) => {
        const { action = '', at = '', leftMs } = (item as HTMLElement).dataset
        return { action, at: Number(at), leftMs: leftMs === undefined ? null : Number(leftMs) }
      }),
    )
}

/** Every devtools action the page recorded, routine ones included. */
export function devtoolsEntries(page: Page): Promise<DevtoolsEntry[]> {
  return page.evaluate(() => [...window.__e2e.devtools.entries.get()])
}

/** Waits until the page's clock reads at least `pageTime`. */
export async function waitForPageTime(page: Page, pageTime: number): Promise<void> {
  await page.waitForFunction((target) => window.__e2e.time.now() >= target, pageTime, {
    polling: 100,
    timeout: 60_000,
  })
}

/**
 * Moves the mouse in `page` (and nowhere else) every `everyMs` of wall-clock time until
 * `until()` holds: a person working in that one tab. Gives up after `timeoutMs`.
 */
export async function keepMouseBusy(
  page: Page,
  until: () => Promise<boolean>,
  { everyMs = 150, timeoutMs = 30_000 } = {},
): Promise<void> {
  const deadline = Date.now() + timeoutMs
  for (let step = 0; !(await until()); step += 1) {
    if (Date.now() > deadline) throw new Error(`keepMouseBusy: gave up after ${timeoutMs} ms`)
    await page.mouse.move(100 + (step % 10) * 20, 300 + (step % 3) * 15)
    await new Promise((resolve) => setTimeout(resolve, everyMs))
  }
}

/**
 * Headless Chromium keeps every page visible (CDP's frozen lifecycle state changes nothing
 * there), so a tab going to the background is emulated the way the page sees it:
 * `document.visibilityState` and the events a browser fires when the user switches tabs.
 */
export async function setVisibility(page: Page, state: 'hidden' | 'visible'): Promise<void> {
  await page.evaluate((next) => {
    Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => next })
    Object.defineProperty(document, 'hidden', { configurable: true, get: () => next === 'hidden' })
    document.dispatchEvent(new Event('visibilitychange'))
    window.dispatchEvent(new FocusEvent(next === 'visible' ? 'focus' : 'blur'))
  }, state)
}
