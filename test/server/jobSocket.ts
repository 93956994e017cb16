import type { RawData, WebSocket } from 'ws'
import type { AccessError, Authority } from './authority'
import type { ServerClock } from './clock'
import type { Counters } from './counters'
import type { JobMessage, Jobs } from './jobs'
import type { TimerScope } from './timers'
import type { AccessClaims } from './tokens'
import { type AuthStrategy, parseSeq, type UpgradeCredentials } from './wsCredentials'

/** What `control.wsConnections()` reports about one socket, open or closed. */
export interface WsConnectionRecord {
  id: number
  job: string
  /** Session and token of the latest successful auth; null until the socket authenticates. */
  sid: string | null
  jti: string | null
  strategy: AuthStrategy
  /** Server clock, ms. */
  openedAt: number
  closedAt: number | null
  closeCode: number | null
}

/** Application close code for "authenticate again": 4000 + HTTP 401. */
export const UNAUTHORIZED_CLOSE_CODE = 4401
/** How long a socket without a token at upgrade may take to send its auth message. */
export const AUTH_MESSAGE_TIMEOUT_MS = 5000

const CLOSE_REASONS: Record<AccessError, string> = {
  missing_token: 'auth required',
  invalid_token: 'invalid token',
  token_expired: 'token expired',
  token_revoked: 'token revoked',
}

export interface JobSocketDependencies {
  authority: Authority
  jobs: Jobs
  clock: ServerClock
  timers: TimerScope
  counters: Counters
}

export interface JobSocket {
  readonly record: WsConnectionRecord
  /** Closes with 4401 if the token has expired or its session was revoked since the last look. */
  recheckToken(): boolean
}

/** One authenticated subscriber of a job: auth in any strategy, re-auth in place, expiry. */
export function createJobSocket(
  ws: WebSocket,
  record: WsConnectionRecord,
  credentials: UpgradeCredentials,
  deps: JobSocketDependencies,
): JobSocket {
  let claims: AccessClaims | null = null
  let unsubscribe: (() => void) | null = null
  let cancelAuthTimeout: (() => void) | null = null
  // Handle messages one at a time: an auth message must finish verifying before the next one.
  let inbox: Promise<void> = Promise.resolve()

  const isOpen = () => record.closedAt === null

  const finish = (code: number) => {
    if (!isOpen()) return
    record.closedAt = deps.clock.now()
    record.closeCode = code
    unsubscribe?.()
    cancelAuthTimeout?.()
  }

  const reject = (error: AccessError) => {
    if (!isOpen()) return
    deps.counters.increment('ws:unauthorized')
    finish(UNAUTHORIZED_CLOSE_CODE)
    ws.close(UNAUTHORIZED_CLOSE_CODE, CLOSE_REASONS[error])
  }

  const recheckToken = () => {
    if (!isOpen()) return false
    if (!claims) return true
    const verdict = deps.authority.recheckAccess(claims)
    if (!verdict.ok) reject(verdict.error)
    return verdict.ok
  }

  const send = (message: object) => {
    if (isOpen()) ws.send(JSON.stringify(message))
  }

  const deliver = (message: JobMessage) => {
    if (recheckToken()) send(message)
  }

  const authenticate = async (token: unknown, resumeAfter: number | undefined) => {
    const check = await deps.authority.checkAccess(typeof token === 'string' ? token : undefined)
    if (!isOpen()) return
    if (!check.ok) return reject(check.error)
    claims = check.claims
    record.sid = claims.sid
    record.jti = claims.jti
    cancelAuthTimeout?.()
    send({ type: 'auth_ok', exp: claims.exp })
    // A re-auth only swaps the token; the subscription and its position stay.
    unsubscribe ??= deps.jobs.subscribe(record.job, deliver, resumeAfter)
    // The replay inside subscribe may already have closed the socket (its token just expired).
    if (!isOpen()) unsubscribe()
  }

  const receive = async (data: RawData) => {
    const message = parseMessage(data)
    if (message?.type === 'auth') {
      return authenticate(message.token, parseSeq(message.lastSeq) ?? credentials.resumeAfter)
    }
    // Before auth, anything but an auth message is a protocol violation.
    if (!claims) reject('missing_token')
  }

  ws.on('message', (data) => {
    inbox = inbox.then(() => receive(data)).catch(() => ws.terminate())
  })
  ws.on('close', (code) => finish(code))
  // ws emits 'error' for malformed frames and then closes; without a listener it would throw.
  ws.on('error', () => undefined)

  if (credentials.token !== undefined) {
    inbox = inbox.then(() => authenticate(credentials.token, credentials.resumeAfter))
  } else {
    cancelAuthTimeout = deps.timers.setTimeout(
      () => reject('missing_token'),
      AUTH_MESSAGE_TIMEOUT_MS,
    )
  }

  return { record, recheckToken }
}

function parseMessage(data: RawData): Record<string, unknown> | null {
  try {
    const parsed: unknown = JSON.parse(data.toString())
    return typeof parsed === 'object' && parsed !== null
      ? (parsed as Record<string, unknown>)
      : null
  } catch {
    return null
  }
}
