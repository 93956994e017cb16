import { isFiniteNumber } from '../numbers'
import type { AuthErrorState } from '../types'
import { isAuthError, statusOf } from './guards'

const MAX_MESSAGE_LENGTH = 300

/**
 * Turns anything a transport rejected with into the plain `{ kind, message }` kept in state.
 * Messages are cut short and scrubbed of anything that looks like a JWT: servers echo tokens
 * back in error bodies more often than one would hope.
 */
export function toErrorState(error: unknown): AuthErrorState {
  const message = redactJwts(messageOf(error)).slice(0, MAX_MESSAGE_LENGTH)
  if (isAuthError(error)) {
    const state: AuthErrorState = { kind: error.code, message }
    const status = statusOf(error)
    if (status !== undefined) state.status = status
    const retryAfterMs = (error as { retryAfterMs?: unknown }).retryAfterMs
    if (isFiniteNumber(retryAfterMs)) {
      state.retryAfterMs = retryAfterMs
    }
    return state
  }
  const status = statusOf(error)
  if (status === 401) return { kind: 'unauthorized', message, status }
  if (status !== undefined) return { kind: 'http', message, status }
  return { kind: 'unknown', message }
}

function messageOf(error: unknown): string {
  if (error instanceof Error) return error.message || error.name
  if (typeof error === 'string') return error
  return 'Unknown error'
}

const JWT_PATTERN = /eyJ[\w-]*\.[\w-]*\.[\w-]*/g

/** Replaces every JWT-looking substring with `eyJ…(redacted)`. */
export const redactJwts = (text: string): string => text.replace(JWT_PATTERN, 'eyJ…(redacted)')
