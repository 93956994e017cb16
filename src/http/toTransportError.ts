import {
  AxiosHeaders,
  type AxiosResponse,
  type InternalAxiosRequestConfig,
  isAxiosError,
} from 'axios'
import { isAuthError } from '../errors/guards'
import { HttpError } from '../errors/HttpError'
import { NetworkError } from '../errors/NetworkError'
import { redactJwts } from '../errors/toErrorState'
import { parseRetryAfter } from './retryAfter'

/** The statuses whose `Retry-After` says when to come back (RFC 9110 §10.2.3, RFC 6585 §4). */
const RETRY_AFTER_STATUSES = new Set([429, 503])
/**
 * axios' timeout code with `clarifyTimeoutError`, which the transport always sets. Without it a
 * timeout is ECONNABORTED, the code XHR also gives a plain abort (a page unloading, Firefox's
 * cancelled navigation): with it, ECONNABORTED is only ever an abort, a network problem.
 */
const TIMEOUT_CODE = 'ETIMEDOUT'
const MAX_MESSAGE_LENGTH = 300
const MAX_SERVER_CODE_LENGTH = 80

/**
 * Turns what axios rejected with into one of our errors, so the store never sees axios:
 * an answer is an `HttpError` (with `retryAfterMs` on 429/503), no answer a `NetworkError`.
 *
 * The AxiosError is deliberately not kept as `cause`: its `config` holds the Authorization
 * header and the refresh token in the body, and whatever logs the error would print them.
 * Everything useful (method, path, status, the server's error code) goes into the message.
 */
export function toTransportError(error: unknown, now: number): unknown {
  if (isAuthError(error) || !isAxiosError(error)) return error
  const request = describeRequest(error.config)
  const response = error.response
  if (response) {
    const { status } = response
    const serverCode = serverErrorCode(response.data)
    const retryAfterMs = RETRY_AFTER_STATUSES.has(status)
      ? parseRetryAfter(header(response, 'retry-after'), now, header(response, 'date'))
      : undefined
    const message = `${request} answered ${status}${serverCode ? ` (${serverCode})` : ''}`
    return new HttpError(status, safe(message), { retryAfterMs })
  }
  const timeout = error.code === TIMEOUT_CODE
  const why = error.message || error.code || 'no response'
  return new NetworkError(safe(`${request} got no answer: ${why}`), { timeout })
}

/** `POST /auth/refresh`, without query, fragment or userinfo (they can carry secrets). */
export function describeRequest(config: InternalAxiosRequestConfig | undefined): string {
  const method = (config?.method ?? 'get').toUpperCase()
  const url = (config?.url ?? '')
    .replace(/[?#].*/s, '')
    .replace(/^([a-z][\w+.-]*:\/\/)[^/]*@/i, '$1')
  return `${method} ${url}`
}

const header = (response: AxiosResponse, name: string): unknown =>
  AxiosHeaders.from(response.headers as AxiosHeaders).get(name)

/** An OAuth-style `{ error: 'invalid_grant' }` code, when the body has a short one. */
function serverErrorCode(data: unknown): string | undefined {
  if (typeof data !== 'object' || data === null) return undefined
  const code = (data as { error?: unknown }).error
  // Redacted before it is cut: a JWT cut short no longer looks like one, and would leak.
  return typeof code === 'string' ? redactJwts(code).slice(0, MAX_SERVER_CODE_LENGTH) : undefined
}

const safe = (message: string) => redactJwts(message).slice(0, MAX_MESSAGE_LENGTH)
