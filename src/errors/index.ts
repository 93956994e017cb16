export { AuthError } from './AuthError'
export {
  isAuthError,
  isHttpError,
  isInvalidResponseError,
  isInvalidTokenError,
  isNetworkError,
  isSessionEndedError,
  isUnauthorized,
  statusOf,
} from './guards'
export { HttpError } from './HttpError'
export { InvalidResponseError } from './InvalidResponseError'
export { InvalidTokenError } from './InvalidTokenError'
export { NetworkError } from './NetworkError'
export { SessionEndedError } from './SessionEndedError'
export { StorageError } from './StorageError'
export { toErrorState } from './toErrorState'
