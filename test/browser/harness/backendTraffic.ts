import type { BrowserContext, Page } from 'playwright-core'

/** A request a page sent to the backend, as the browser reported it. */
export interface BackendRequest {
  /** Page time (accelerated) when Playwright reported it. */
  at: number
  /** Which tab, in the order they were opened; -1 for none of them. */
  tab: number
  method: string
  path: string
  bearer: string | null
}

export interface BackendTraffic {
  /** Every backend request of every tab, in the order the browser sent them. */
  requests: BackendRequest[]
  /** Every access token the backend handed the pages (login and refresh), oldest first. */
  issuedTokens: string[]
  /** Every refresh token it handed them, oldest first. */
  issuedRefreshTokens: string[]
}

/**
 * What the pages of `context` sent to the backend at `backendUrl` and the tokens they got
 * back, seen from the browser's side. Playwright reports it a little after the fact: the
 * backend's own counters may already include a request this log does not have yet.
 */
export function recordBackendTraffic(
  context: BrowserContext,
  backendUrl: string,
  now: () => number,
  tabs: readonly Page[],
): BackendTraffic {
  const traffic: BackendTraffic = { requests: [], issuedTokens: [], issuedRefreshTokens: [] }
  context.on('request', (request) => {
    if (!request.url().startsWith(backendUrl)) return
    traffic.requests.push({
      at: now(),
      tab: tabs.indexOf(request.frame().page()),
      method: request.method(),
      path: new URL(request.url()).pathname,
      bearer: request.headers().authorization?.replace(/^Bearer /, '') ?? null,
    })
  })
  context.on('response', async (response) => {
    if (!response.url().startsWith(backendUrl) || response.status() !== 200) return
    const { pathname } = new URL(response.url())
    if (pathname !== '/auth/login' && pathname !== '/auth/refresh') return
    const body = (await response.json().catch(() => null)) as Record<string, unknown> | null
    if (typeof body?.access_token === 'string') traffic.issuedTokens.push(body.access_token)
    if (typeof body?.refresh_token === 'string') {
      traffic.issuedRefreshTokens.push(body.refresh_token)
    }
  })
  return traffic
}
