import type { AuthSliceState } from '../auth/authState'
import { decodeClaims } from '../auth/token'
import { toErrorState } from '../errors/toErrorState'
import { isFiniteNumber } from '../numbers'

/** What is written to storage: the session, never status or errors. */
export type PersistedSession = Pick<
  AuthSliceState,
  'token' | 'refreshToken' | 'expiresAt' | 'lastActivityAt'
>

export const PERSIST_VERSION = 1

export const partializeSession = (state: AuthSliceState): PersistedSession => ({
  token: state.token,
  refreshToken: state.refreshToken,
  expiresAt: state.expiresAt,
  lastActivityAt: state.lastActivityAt,
})

const finite = (value: unknown): number | undefined => (isFiniteNumber(value) ? value : undefined)

/**
 * Turns whatever storage held into a consistent state: a stored session whose token is not a
 * decodable JWT with `exp` is discarded, with the reason in `error`. Status is derived, never
 * read from storage. A last activity later than `now` (written while the clock ran ahead) counts
 * as now: trusted, it would hold the idle timeout off until the clock caught up.
 */
export function mergePersistedSession<S extends AuthSliceState>(
  persisted: unknown,
  current: S,
  now: number,
): S {
  // Signed in before an async storage answered (an OAuth callback at start-up): that session is
  // newer than anything stored, and the one the user just asked for.
  if (typeof persisted !== 'object' || persisted === null || current.token !== null) return current
  const stored = persisted as Record<string, unknown>
  const storedActivity = finite(stored.lastActivityAt)
  const lastActivityAt =
    storedActivity === undefined ? current.lastActivityAt : Math.min(storedActivity, now)
  if (stored.token === null || stored.token === undefined) return { ...current, lastActivityAt }
  let exp: number
  try {
    exp = decodeClaims(stored.token).exp
  } catch (error) {
    return { ...current, error: toErrorState(error) }
  }
  return {
    ...current,
    token: stored.token as string,
    refreshToken: typeof stored.refreshToken === 'string' ? stored.refreshToken : null,
    expiresAt: finite(stored.expiresAt) ?? exp * 1000,
    lastActivityAt,
    status: 'authenticated',
    signOutReason: null,
    error: null,
  }
}
