import type { AuthSliceState } from './authState'

/** True while a session exists, including while it is refreshing or degraded. */
export const selectIsAuthenticated = (state: AuthSliceState): boolean =>
  state.status !== 'signedOut'

export const selectStatus = (state: AuthSliceState) => state.status

/**
 * Milliseconds until the access token expires (negative once expired), or null when signed out.
 * Takes `now` so the caller controls re-rendering: a selector reading the clock itself would
 * return a new value on every render.
 */
export const selectTimeUntilExpiry =
  (now: number) =>
  (state: AuthSliceState): number | null =>
    state.expiresAt === null ? null : state.expiresAt - now
