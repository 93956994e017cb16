/** What the server hands back after a login or a refresh. */
export interface TokenSet {
  accessToken: string
  /** Omitted when the server keeps the refresh token in an httpOnly cookie. */
  refreshToken?: string
  /**
   * Expiry in ms since the epoch, on the *local* clock (e.g. `receivedAt + expires_in * 1000`).
   * When omitted the expiry is derived from the token's `exp` (and `iat`, for skew safety).
   */
  expiresAt?: number
}

/** The credentials of the current session, as handed to the transport. */
export interface Session {
  accessToken: string
  refreshToken?: string
}

/**
 * How the store talks to the server. A call that rejects with an error whose HTTP status is 401
 * means "the server says no" and signs the user out; any other rejection is transient.
 */
export interface Transport<Credentials = unknown> {
  refresh(session: Session): Promise<TokenSet>
  validate?(session: Session): Promise<void>
  login?(credentials: Credentials): Promise<TokenSet>
  logout?(session: Session): Promise<void>
}

export type AuthStatus = 'signedOut' | 'authenticated' | 'refreshing' | 'degraded'

export type SignOutReason = 'user' | 'unauthorized' | 'expired' | 'idle'

export type AuthErrorKind =
  | 'network'
  | 'timeout'
  | 'http'
  | 'unauthorized'
  | 'invalid_token'
  | 'invalid_response'
  | 'storage'
  | 'unknown'

/** An error as kept in state: plain data, so devtools and persistence can serialise it. */
export interface AuthErrorState {
  kind: AuthErrorKind
  message: string
  status?: number
  /** From a `Retry-After` header: the server asked us to wait at least this long. */
  retryAfterMs?: number
}
