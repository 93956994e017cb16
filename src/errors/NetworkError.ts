import { AuthError } from './AuthError'

/** No answer from the server: connection refused or dropped, DNS, CORS, or a timeout. Transient. */
export class NetworkError extends AuthError {
  override name = 'NetworkError' as const

  constructor(message: string, options?: { cause?: unknown; timeout?: boolean }) {
    super(options?.timeout ? 'timeout' : 'network', message, options)
  }
}
