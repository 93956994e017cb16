import { AuthError } from './AuthError'

/** The server answered with an error status. Only 401 is terminal; see `isUnauthorized`. */
export class HttpError extends AuthError {
  override name = 'HttpError' as const
  readonly status: number
  /** Parsed from `Retry-After` on 429/503, in ms. */
  readonly retryAfterMs: number | undefined

  constructor(
    status: number,
    message: string,
    options?: { cause?: unknown; retryAfterMs?: number | undefined },
  ) {
    super(status === 401 ? 'unauthorized' : 'http', message, options)
    this.status = status
    this.retryAfterMs = options?.retryAfterMs
  }
}
