import type { BackoffOptions } from '../scheduler/backoff'
import type { WebSocketConstructor } from './webSocketLike'

/**
 * How the access token reaches the server; browsers cannot set headers on a WebSocket.
 * - `'message'`: nothing at upgrade; the first message is `{"type":"auth","token":"…"}`
 * - `'protocol'`: `Sec-WebSocket-Protocol: bearer, <token>` (the server must echo `bearer`)
 * - `'query'`: `?access_token=<token>`, which ends up in server and proxy logs
 */
export type TokenStrategy = 'message' | 'protocol' | 'query'

export interface WebSocketOptions {
  /** The socket URL of a job, e.g. `(name) => \`wss://api.example.com/ws/jobs/${name}\``. Required. */
  url: (jobName: string) => string
  /** How the token is sent. @default 'message' (the token never appears in a URL or a header log) */
  tokenStrategy?: TokenStrategy
  /** The WebSocket constructor (pass the `ws` package's in Node). @default globalThis.WebSocket */
  WebSocket?: WebSocketConstructor
  /** Backoff between reconnect attempts. @default { initialDelayMs: 1_000, factor: 2, maxDelayMs: 30_000, jitter: 0.2 } */
  reconnect?: Partial<Pick<BackoffOptions, 'initialDelayMs' | 'factor' | 'maxDelayMs' | 'jitter'>>
  /** A job is `failed` after this many consecutive failed attempts; `Infinity` never gives up. @default 8 */
  maxAttempts?: number
  /**
   * On a new token the new socket is opened before the old one is closed; the old one is closed
   * anyway after this long without the new one delivering. Also how long an in-place re-auth
   * waits for its `auth_ok`. @default 5_000
   */
  handoverTimeoutMs?: number
  /**
   * On a new token, send `{"type":"auth","token":"…"}` on the open socket instead of reconnecting
   * (the server must answer `{"type":"auth_ok"}`). @default true with the 'message' strategy, else false
   */
  reauthInPlace?: boolean
  /** Close codes that mean "authenticate again": one token refresh, then a reconnect. @default [4401, 1008] */
  authCloseCodes?: number[]
  /** `lastSeq` / `lastEventAt` are written to the store at most this often per job. @default 1_000 */
  progressWriteIntervalMs?: number
}

export interface ResolvedWebSocketOptions {
  url: (jobName: string) => string
  tokenStrategy: TokenStrategy
  /** Undefined when none was passed: the platform's is looked up at first use. */
  WebSocket: WebSocketConstructor | undefined
  reconnect: BackoffOptions
  maxAttempts: number
  handoverTimeoutMs: number
  reauthInPlace: boolean
  authCloseCodes: ReadonlySet<number>
  progressWriteIntervalMs: number
}

const STRATEGIES: readonly TokenStrategy[] = ['message', 'protocol', 'query']

const positive = (value: number | undefined, fallback: number, name: string): number => {
  if (value === undefined) return fallback
  if (typeof value !== 'number' || Number.isNaN(value) || value <= 0) {
    throw new TypeError(
      `[zustand-auth-session] \`websocket.${name}\` must be a positive number, got ${value}`,
    )
  }
  return value
}

export function resolveWebSocketOptions(options: WebSocketOptions): ResolvedWebSocketOptions {
  if (typeof options.url !== 'function') {
    throw new TypeError('[zustand-auth-session] `websocket.url` must be a function of the job name')
  }
  const tokenStrategy = options.tokenStrategy ?? 'message'
  if (!STRATEGIES.includes(tokenStrategy)) {
    throw new TypeError(
      `[zustand-auth-session] \`websocket.tokenStrategy\` must be one of ${STRATEGIES.join(', ')}`,
    )
  }
  const reconnect = options.reconnect ?? {}
  return {
    url: options.url,
    tokenStrategy,
    WebSocket: options.WebSocket,
    reconnect: {
      initialDelayMs: positive(reconnect.initialDelayMs, 1_000, 'reconnect.initialDelayMs'),
      factor: positive(reconnect.factor, 2, 'reconnect.factor'),
      maxDelayMs: positive(reconnect.maxDelayMs, 30_000, 'reconnect.maxDelayMs'),
      jitter: reconnect.jitter ?? 0.2,
    },
    maxAttempts: positive(options.maxAttempts, 8, 'maxAttempts'),
    handoverTimeoutMs: positive(options.handoverTimeoutMs, 5_000, 'handoverTimeoutMs'),
    reauthInPlace: options.reauthInPlace ?? tokenStrategy === 'message',
    authCloseCodes: new Set(options.authCloseCodes ?? [4401, 1008]),
    progressWriteIntervalMs: positive(
      options.progressWriteIntervalMs,
      1_000,
      'progressWriteIntervalMs',
    ),
  }
}
