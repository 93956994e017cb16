import { InvalidResponseError } from '../errors/InvalidResponseError'
import { isFiniteNumber } from '../numbers'
import type { Session, TokenSet } from '../types'

/** What a token response parser is told besides the body. */
export interface TokenResponseContext {
  /** When the response arrived, on the local clock (the transport's `now`). */
  receivedAt: number
}

/**
 * How `axiosTransport` speaks to a server: request bodies and the token response parser.
 * The defaults speak the reference backend's OAuth-like snake_case; override any part.
 */
export interface TransportMapping<Credentials = unknown> {
  /**
   * Body of the refresh request; `undefined` sends none.
   * @default `{ refresh_token }` when the session has one, else none (the httpOnly cookie carries it)
   */
  refreshBody(session: Session): unknown
  /** Body of the login request. @default the credentials as given */
  loginBody(credentials: Credentials): unknown
  /** Body of the logout request; `undefined` sends none. @default as `refreshBody` */
  logoutBody(session: Session): unknown
  /**
   * Reads a login or refresh response body into a token set. Throw on a body that is not one;
   * anything but our own errors is reported as an `InvalidResponseError`.
   * @default reads `{ access_token, refresh_token?, expires_in? }`, with `expiresAt = receivedAt + expires_in * 1000`
   */
  readTokenSet(data: unknown, context: TokenResponseContext): TokenSet
}

const refreshTokenBody = (session: Session) =>
  session.refreshToken === undefined ? undefined : { refresh_token: session.refreshToken }

/**
 * The reference backend's `{ access_token, refresh_token, expires_in }`. Strict about types:
 * a string where a number belongs is a broken server, better reported than guessed at.
 */
export function readSnakeCaseTokenSet(data: unknown, { receivedAt }: TokenResponseContext) {
  if (typeof data !== 'object' || data === null || Array.isArray(data)) {
    throw new InvalidResponseError(`Expected a JSON token response, got ${describeBody(data)}`)
  }
  const body = data as Record<string, unknown>
  const { access_token: accessToken, refresh_token: refreshToken, expires_in: expiresIn } = body
  if (typeof accessToken !== 'string' || accessToken === '') {
    throw new InvalidResponseError('The token response has no `access_token` string')
  }
  if (refreshToken != null && typeof refreshToken !== 'string') {
    throw new InvalidResponseError('The token response has a `refresh_token` that is not a string')
  }
  const lifetimeOk = isFiniteNumber(expiresIn) && expiresIn > 0
  if (expiresIn != null && !lifetimeOk) {
    throw new InvalidResponseError(
      'The token response has an `expires_in` that is not a positive number',
    )
  }
  const tokenSet: TokenSet = { accessToken }
  if (typeof refreshToken === 'string') tokenSet.refreshToken = refreshToken
  if (lifetimeOk) tokenSet.expiresAt = receivedAt + (expiresIn as number) * 1000
  return tokenSet
}

/** Says what came instead of JSON, without quoting it (a body may echo a token). */
export function describeBody(data: unknown): string {
  if (data === undefined || data === null || data === '') return 'an empty body'
  if (typeof data === 'string') return /^\s*</.test(data) ? 'an HTML page' : 'text'
  if (Array.isArray(data)) return 'an array'
  return `a ${typeof data}`
}

export const snakeCaseMapping: TransportMapping = {
  refreshBody: refreshTokenBody,
  loginBody: (credentials) => credentials,
  logoutBody: refreshTokenBody,
  readTokenSet: readSnakeCaseTokenSet,
}
