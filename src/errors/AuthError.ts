import type { AuthErrorKind } from '../types'

/** Base of every error this library throws or records; `code` is stable, `message` is for humans. */
export class AuthError extends Error {
  override name: string = 'AuthError'
  readonly code: AuthErrorKind

  constructor(code: AuthErrorKind, message: string, options?: { cause?: unknown }) {
    super(message, options)
    this.code = code
  }
}
