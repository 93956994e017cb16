import type { StateStorage } from 'zustand/middleware'
import type { StoredSession } from '../auth/refreshCoordinator'
import { decodeClaims } from '../auth/token'
import { isThenable } from '../thenable'

/** A session, 'signedOut', or null (unknown: nothing stored, or nothing readable). */
export type Stored = StoredSession | 'signedOut' | null

/**
 * The session another tab left in the shared storage. An async storage's answer comes as a
 * promise: the cross-tab lock is held across the wait, so the read still sees what the tab
 * before this one committed.
 */
export function readStoredSession(storage: StateStorage, key: string): Stored | Promise<Stored> {
  let raw: ReturnType<StateStorage['getItem']>
  try {
    raw = storage.getItem(key)
  } catch {
    return null
  }
  return isThenable(raw)
    ? Promise.resolve(raw).then(parseStoredSession, () => null)
    : parseStoredSession(raw)
}

function parseStoredSession(raw: string | null): Stored {
  try {
    // Stryker disable next-line ConditionalExpression: null makes the .state read below throw, and the catch returns null the same
    if (typeof raw !== 'string') return null
    const state = (JSON.parse(raw) as { state?: Record<string, unknown> }).state
    // Stryker disable next-line ConditionalExpression: without a state object the reads below throw or find no string token: null all the same
    if (!state) return null
    if (state.token === null) return 'signedOut'
    const { token, refreshToken, expiresAt } = state
    // Stryker disable next-line ConditionalExpression: decodeClaims below throws for a token that is not a string, and the catch returns null the same
    if (typeof token !== 'string' || typeof expiresAt !== 'number') return null
    // What another tab (or any script) left in storage is checked like a message: a JWT or
    // nothing (decodeClaims throws, and unreadable is unknown).
    decodeClaims(token)
    return {
      token,
      refreshToken: typeof refreshToken === 'string' ? refreshToken : null,
      expiresAt,
    }
  } catch {
    return null
  }
}
