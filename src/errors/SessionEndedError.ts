import type { SignOutReason } from '../types'
import { AuthError } from './AuthError'

/**
 * An API request was refused (401) and the session could not be renewed: the store has signed
 * the user out. Thrown by `createAuthClient` to every request caught in that sign-out, once,
 * instead of the raw 401, so the app can tell "sign in again" from an ordinary failed call.
 * `status` is 401, so `isUnauthorized(error)` holds for it too.
 */
export class SessionEndedError extends AuthError {
  override name = 'SessionEndedError' as const
  readonly status = 401
  /** Why the store signed out, when it says (`'unauthorized'`, `'expired'`…). */
  readonly reason: SignOutReason | null

  constructor(reason: SignOutReason | null, options?: { cause?: unknown }) {
    super(
      'unauthorized',
      `The session has ended${reason ? ` (${reason})` : ''}: sign in again`,
      options,
    )
    this.reason = reason
  }
}
