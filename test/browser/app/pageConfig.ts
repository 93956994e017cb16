import type { TokenStrategy } from '../../../src/index'

/**
 * What one scenario sets for the page, carried in its URL's query string: the backend the
 * page talks to, the store's timings and how fast the page's clock runs. Shared by the page
 * (which reads it) and the harness (which writes it), so both agree on names and defaults.
 */
export interface PageConfig {
  /** The reference backend, `http://127.0.0.1:PORT`. */
  apiUrl: string
  /** Its WebSocket base, `ws://127.0.0.1:PORT`. */
  wsUrl: string
  /** Accelerated time starts here (ms since the epoch); the backend's clock uses the same. */
  epoch: number
  /** How many times faster than the wall clock the page's (and the backend's) time runs. */
  speed: number
  tickMs: number
  refreshWindowMs: number
  idleTimeoutMs: number
  tokenStrategy: TokenStrategy
  storageKey: string
}

export const DEFAULT_PAGE_CONFIG = {
  speed: 1,
  tickMs: 2_000,
  refreshWindowMs: 15_000,
  idleTimeoutMs: 3_600_000,
  tokenStrategy: 'message',
  storageKey: 'e2e-session',
} as const satisfies Partial<PageConfig>

const NUMBERS = ['epoch', 'speed', 'tickMs', 'refreshWindowMs', 'idleTimeoutMs'] as const
const STRATEGIES: readonly TokenStrategy[] = ['message', 'protocol', 'query']

/** The page's URL for `config`, relative to where the built page is served. */
export function pageUrl(appUrl: string, config: PageConfig): string {
  const url = new URL(appUrl)
  for (const [key, value] of Object.entries(config)) url.searchParams.set(key, String(value))
  return url.href
}

/** Reads the config from `location.search`; a missing or malformed field is an error, not a guess. */
export function readPageConfig(search: string): PageConfig {
  const params = new URLSearchParams(search)
  const defaults: Record<string, unknown> = DEFAULT_PAGE_CONFIG
  const text = (key: keyof PageConfig): string => {
    const value = params.get(key) ?? defaults[key]
    if (typeof value !== 'string' && typeof value !== 'number') {
      throw new Error(`e2e page: \`${key}\` is missing from the query string`)
    }
    return String(value)
  }
  const number = (key: (typeof NUMBERS)[number]): number => {
    const value = Number(text(key))
    if (!Number.isFinite(value)) throw new Error(`e2e page: \`${key}\` is not a number`)
    return value
  }
  const tokenStrategy = text('tokenStrategy') as TokenStrategy
  if (!STRATEGIES.includes(tokenStrategy)) throw new Error('e2e page: bad `tokenStrategy`')
  return {
    apiUrl: text('apiUrl'),
    wsUrl: text('wsUrl'),
    epoch: number('epoch'),
    speed: number('speed'),
    tickMs: number('tickMs'),
    refreshWindowMs: number('refreshWindowMs'),
    idleTimeoutMs: number('idleTimeoutMs'),
    tokenStrategy,
    storageKey: text('storageKey'),
  }
}
