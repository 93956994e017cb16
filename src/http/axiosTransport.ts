import type { AxiosInstance, AxiosRequestConfig, AxiosResponse } from 'axios'
import { type Clock, systemClock } from '../env/clock'
import { isAuthError } from '../errors/guards'
import { InvalidResponseError } from '../errors/InvalidResponseError'
import { redactJwts } from '../errors/toErrorState'
import type { Session, TokenSet, Transport } from '../types'
import { asTransportRequest } from './requestMarks'
import { describeBody, snakeCaseMapping, type TransportMapping } from './snakeCaseMapping'
import { describeRequest, toTransportError } from './toTransportError'

export interface AxiosTransportOptions<Credentials = unknown> {
  /** The refresh endpoint (POST), resolved like any URL of the instance (its `baseURL` applies). */
  refreshUrl: string
  /** The validation endpoint (GET, with the access token). Without it the store only refreshes. */
  validateUrl?: string
  /** The login endpoint (POST, credentials in the body). Without it `login()` takes tokens only. */
  loginUrl?: string
  /** The logout endpoint (POST, with the access token); best effort. */
  logoutUrl?: string
  /** Every request gives up after this long, so a hung refresh never blocks the session. @default 10_000 */
  timeoutMs?: number
  /**
   * Send cookies with login, refresh and logout: a cross-origin server's httpOnly refresh
   * cookie is neither stored nor sent without it. Set `false` for a cross-origin server that
   * does not allow credentials (the refresh token then travels in the body).
   * @default true
   */
  withCredentials?: boolean
  /** The clock `expiresAt` is computed on; give the store's. @default () => Date.now() */
  now?: Clock
  /** Request bodies and the token response parser for servers that are not the reference one. @default snake_case `{ access_token, refresh_token, expires_in }` */
  map?: Partial<TransportMapping<Credentials>>
}

const HTML = /^\s*text\/html\b/i

/**
 * The store's `Transport` over an axios instance. Errors are translated here, at the edge:
 * the store sees `HttpError` (with `retryAfterMs`), `NetworkError` (with its timeout flag) and
 * `InvalidResponseError`, never an AxiosError.
 *
 * Give it a plain instance, not the one `createAuthClient` returns: the transport attaches the
 * tokens itself, and its requests must not be retried on a 401.
 */
export function axiosTransport<Credentials = unknown>(
  axios: AxiosInstance,
  options: AxiosTransportOptions<Credentials>,
): Transport<Credentials> {
  if (typeof axios?.request !== 'function') {
    throw new TypeError('[zustand-auth-session] axiosTransport needs an axios instance')
  }
  if (typeof options?.refreshUrl !== 'string' || options.refreshUrl === '') {
    throw new TypeError('[zustand-auth-session] axiosTransport needs a `refreshUrl`')
  }
  const timeoutMs = options.timeoutMs ?? 10_000
  if (!(timeoutMs > 0 && Number.isFinite(timeoutMs))) {
    throw new TypeError(
      `[zustand-auth-session] \`timeoutMs\` must be a positive number, got ${timeoutMs}`,
    )
  }
  const now = options.now ?? systemClock
  const withCredentials = options.withCredentials ?? true
  const map = { ...snakeCaseMapping, ...options.map } as TransportMapping<Credentials>

  const send = async (config: AxiosRequestConfig): Promise<AxiosResponse> => {
    try {
      return await axios.request(
        asTransportRequest({
          timeout: timeoutMs,
          // ETIMEDOUT rather than ECONNABORTED, which XHR also uses for a plain abort.
          transitional: { clarifyTimeoutError: true },
          ...config,
        }),
      )
    } catch (error) {
      throw toTransportError(error, now())
    }
  }

  const bearer = (session: Session) => ({ Authorization: `Bearer ${session.accessToken}` })

  const readTokens = (response: AxiosResponse): TokenSet => {
    const receivedAt = now()
    try {
      return map.readTokenSet(response.data, { receivedAt })
    } catch (error) {
      if (isAuthError(error)) throw error
      const why = error instanceof Error ? error.message : String(error)
      throw new InvalidResponseError(
        redactJwts(`${describeRequest(response.config)}: unreadable token response: ${why}`),
      )
    }
  }

  const transport: Transport<Credentials> = {
    async refresh(session) {
      const config = {
        method: 'post',
        url: options.refreshUrl,
        withCredentials,
        // undefined sends no body: axios drops an undefined `data` when it merges the config
        data: map.refreshBody(session),
      }
      return readTokens(await send(config))
    },
  }

  const { validateUrl, loginUrl, logoutUrl } = options
  if (validateUrl !== undefined) {
    transport.validate = async (session) => {
      const response = await send({ method: 'get', url: validateUrl, headers: bearer(session) })
      // A 200 HTML page is an SPA fallback or a captive portal answering for the API: it proves
      // nothing about the session, and counting it as valid would hide a misrouted endpoint.
      // Stryker disable next-line StringLiteral: a missing header reads as any text not starting with text/html
      const contentType = String(response.headers['content-type'] ?? '')
      if (HTML.test(contentType) || describeBody(response.data) === 'an HTML page') {
        throw new InvalidResponseError(
          `${describeRequest(response.config)} answered ${response.status} with an HTML page, not the API`,
        )
      }
    }
  }
  if (loginUrl !== undefined) {
    transport.login = async (credentials) => {
      const config = {
        method: 'post',
        url: loginUrl,
        withCredentials,
        data: map.loginBody(credentials),
      }
      return readTokens(await send(config))
    }
  }
  if (logoutUrl !== undefined) {
    transport.logout = async (session) => {
      const config = {
        method: 'post',
        url: logoutUrl,
        withCredentials,
        headers: bearer(session),
        data: map.logoutBody(session),
      }
      await send(config)
    }
  }
  return transport
}
