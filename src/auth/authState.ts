import type { AuthErrorState, AuthStatus, SignOutReason, TokenSet } from '../types'

export interface AuthSliceState {
  token: string | null
  /** Null when the server keeps it in an httpOnly cookie. */
  refreshToken: string | null
  /** When `token` expires, ms since the epoch on the local clock. */
  expiresAt: number | null
  status: AuthStatus
  /** Why the user was signed out; null while signed in and before any sign-out. */
  signOutReason: SignOutReason | null
  /** The last failure, as plain data; cleared by the next success. */
  error: AuthErrorState | null
  /** The last user activity the store knows of (written at most once per tick period). */
  lastActivityAt: number
}

export interface AuthSliceActions<Credentials = unknown> {
  /**
   * Signs in with an access token, a token set, or (when the transport has `login`) credentials.
   * The state is applied before the promise resolves. Rejects with `InvalidTokenError` on a
   * malformed token and leaves the store unchanged. Counts as activity.
   */
  login(input: string | TokenSet | Credentials): Promise<void>
  /** Signs out now; with reason `'user'` it also tells the server (failures there are ignored). */
  logout(reason?: SignOutReason): Promise<void>
  /** Refreshes the tokens; concurrent calls share one request. Resolves true when a new token was applied. Never rejects. */
  refresh(): Promise<boolean>
  /** Asks the server whether the session is still valid (when the transport can). Never rejects. */
  validate(): Promise<void>
  /** Notes that the user is active (throttled to one store write per tick period). */
  recordActivity(): void
}

export type AuthSlice<Credentials = unknown> = AuthSliceState & AuthSliceActions<Credentials>

export const signedOutState = (lastActivityAt: number): AuthSliceState => ({
  token: null,
  refreshToken: null,
  expiresAt: null,
  status: 'signedOut',
  signOutReason: null,
  error: null,
  lastActivityAt,
})
