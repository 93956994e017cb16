import type { Session } from '../types'

/** A session as another tab left it in the shared storage. */
export interface StoredSession {
  token: string
  refreshToken: string | null
  expiresAt: number
}

export type RefreshOutcome =
  /** This tab asked the server: here is its answer, to be parsed. */
  | { kind: 'refreshed'; raw: unknown }
  /** Another tab refreshed meanwhile: use its session and skip the request. */
  | { kind: 'adopted'; session: StoredSession }
  /** Another tab signed the user out meanwhile: do not resurrect the session. */
  | { kind: 'endedElsewhere' }
  /** The store was disposed while this waited for the lock: nothing was asked, nothing changes. */
  | { kind: 'abandoned' }

/**
 * Decides how a refresh request runs: alone (one tab), or under a cross-tab lock with a
 * re-read of the shared session before and a commit check after (see src/tabs/).
 */
export interface RefreshCoordinator {
  /**
   * Runs `request` (or finds it unneeded) and hands the outcome to `commit`, which applies it to
   * the store synchronously: under a cross-tab lock the commit happens before the lock is let
   * go, so the next tab in line reads the new session and does not reuse a rotated token.
   */
  refresh<T>(
    session: Session,
    expiresAt: number | null,
    request: () => Promise<unknown>,
    commit: (outcome: RefreshOutcome) => T,
  ): Promise<T>
}

export const soloCoordinator: RefreshCoordinator = {
  refresh: async (_session, _expiresAt, request, commit) =>
    // Stryker disable next-line StringLiteral: commit() only tells 'adopted', 'endedElsewhere' and 'abandoned' apart; any other kind is a server answer
    commit({ kind: 'refreshed', raw: await request() }),
}
