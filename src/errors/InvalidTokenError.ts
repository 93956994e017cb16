import { AuthError } from './AuthError'

/** A token that is not a decodable JWT, or lacks a usable `exp`. */
export class InvalidTokenError extends AuthError {
  override name = 'InvalidTokenError' as const

  constructor(message: string, options?: { cause?: unknown }) {
    super('invalid_token', message, options)
  }
}
