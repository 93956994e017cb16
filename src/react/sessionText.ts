import type { AuthErrorKind, AuthErrorState, AuthStatus, SignOutReason } from '../types'

/** What the user reads for each status: the store's words are for developers. */
export const statusLabels: Record<AuthStatus, string> = {
  signedOut: 'Signed out',
  authenticated: 'Signed in',
  refreshing: 'Refreshing session…',
  degraded: 'Connection problem, retrying',
}

/**
 * The status the user is shown. A retry after a failed request is still a connection problem:
 * without this the status line, a live region, would flip to "Refreshing session…" and back on
 * every attempt of an outage, and a screen reader would announce each flip. A storage problem is
 * not a connection problem, so it does not count.
 */
export function statusToShow(status: AuthStatus, error: AuthErrorState | null): AuthStatus {
  const retrying = status === 'refreshing' && error !== null && error.kind !== 'storage'
  return retrying ? 'degraded' : status
}

export const signOutReasonLabels: Record<SignOutReason, string> = {
  user: 'You signed out.',
  unauthorized: 'The server ended the session.',
  expired: 'The session expired.',
  idle: 'Signed out after a period of inactivity.',
}

export const errorKindLabels: Record<AuthErrorKind, string> = {
  network: 'No answer from the server',
  timeout: 'The server took too long',
  http: 'The server answered with an error',
  unauthorized: 'The server refused the session',
  invalid_token: 'The token could not be read',
  invalid_response: 'The server sent something unexpected',
  storage: 'The browser storage failed',
  unknown: 'Something went wrong',
}
