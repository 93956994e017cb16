import { AuthError } from './AuthError'

/** The persistent storage threw (quota, private mode, disabled); the store fell back to memory. */
export class StorageError extends AuthError {
  override name = 'StorageError' as const

  constructor(message: string, options?: { cause?: unknown }) {
    super('storage', message, options)
  }
}
