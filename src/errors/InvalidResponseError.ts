import { AuthError } from './AuthError'

/** The server answered, but not with a token set (HTML, an empty body, wrong types). Transient. */
export class InvalidResponseError extends AuthError {
  override name = 'InvalidResponseError' as const

  constructor(message: string, options?: { cause?: unknown }) {
    super('invalid_response', message, options)
  }
}
