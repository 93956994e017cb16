import { AuthError } from './AuthError'
import { HttpError } from './HttpError'
import { InvalidResponseError } from './InvalidResponseError'
import { InvalidTokenError } from './InvalidTokenError'
import { NetworkError } from './NetworkError'
import { SessionEndedError } from './SessionEndedError'

// Guards check the name as well as `instanceof`: two copies of this package in one bundle
// (or an error that crossed a realm) would fail `instanceof` alone.
const hasName = (error: unknown, name: string): boolean =>
  typeof error === 'object' && error !== null && (error as { name?: unknown }).name === name

const authErrorNames = new Set([
  'AuthError',
  'InvalidTokenError',
  'InvalidResponseError',
  'NetworkError',
  'HttpError',
  'StorageError',
  'SessionEndedError',
])

export const isAuthError = (error: unknown): error is AuthError =>
  error instanceof AuthError ||
  (error instanceof Error && authErrorNames.has(error.name) && 'code' in error)

export const isInvalidTokenError = (error: unknown): error is InvalidTokenError =>
  error instanceof InvalidTokenError || hasName(error, 'InvalidTokenError')

export const isInvalidResponseError = (error: unknown): error is InvalidResponseError =>
  error instanceof InvalidResponseError || hasName(error, 'InvalidResponseError')

export const isNetworkError = (error: unknown): error is NetworkError =>
  error instanceof NetworkError || hasName(error, 'NetworkError')

export const isHttpError = (error: unknown): error is HttpError =>
  error instanceof HttpError || hasName(error, 'HttpError')

export const isSessionEndedError = (error: unknown): error is SessionEndedError =>
  error instanceof SessionEndedError || hasName(error, 'SessionEndedError')

/** The HTTP status an error carries: ours (`status`), axios' (`response.status`) or a fetch Response's. */
export function statusOf(error: unknown): number | undefined {
  if (typeof error !== 'object' || error === null) return undefined
  const candidate = error as { status?: unknown; response?: { status?: unknown } }
  if (typeof candidate.status === 'number') return candidate.status
  if (typeof candidate.response?.status === 'number') return candidate.response.status
  return undefined
}

/** True when the server said "no" (HTTP 401): the only transport outcome that signs a user out. */
export const isUnauthorized = (error: unknown): boolean => statusOf(error) === 401
