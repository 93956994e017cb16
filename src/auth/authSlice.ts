import { isInvalidResponseError, isUnauthorized } from '../errors/guards'
import { InvalidTokenError } from '../errors/InvalidTokenError'
import { toErrorState } from '../errors/toErrorState'
import type { AuthRuntime } from '../runtime'
import type { SliceCreator } from '../storeTypes'
import type { Session, SignOutReason, TokenSet } from '../types'
import { authActions } from './actionNames'
import { type ActivityTracker, createActivityTracker } from './activity'
import { type AuthSlice, type AuthSliceState, signedOutState } from './authState'
import type { RefreshOutcome, StoredSession } from './refreshCoordinator'
import { computeExpiresAt, parseTokenSet } from './token'

/**
 * zustand's `replace` argument to `set`: merge. (With immer the recipe yields the whole next
 * state, so `true` would do the same; one named constant instead of a literal per call.)
 */
// Stryker disable next-line BooleanLiteral: equivalent under immer, as said above
const MERGE = false

const sessionOf = (state: AuthSliceState): Session | null =>
  state.token === null
    ? null
    : state.refreshToken === null
      ? { accessToken: state.token }
      : { accessToken: state.token, refreshToken: state.refreshToken }

const looksLikeTokenSet = (input: unknown): input is TokenSet =>
  typeof input === 'object' && input !== null && 'accessToken' in input

/** Token, refresh token and local expiry from a token set; throws a typed error on garbage. */
function applyTokenSet(raw: unknown, receivedAt: number) {
  const tokenSet = parseTokenSet(raw)
  const expiresAt = computeExpiresAt(tokenSet, receivedAt)
  return { token: tokenSet.accessToken, refreshToken: tokenSet.refreshToken ?? null, expiresAt }
}

/** As `applyTokenSet`, but a bad token set the caller handed in is the caller's InvalidTokenError. */
function applyGivenTokenSet(raw: unknown, receivedAt: number, fromCaller: boolean) {
  try {
    return applyTokenSet(raw, receivedAt)
  } catch (error) {
    if (fromCaller && isInvalidResponseError(error)) {
      throw new InvalidTokenError(error.message, { cause: error })
    }
    throw error
  }
}

/** What the slice hands to the rest of the store (scheduler, cross-tab sync): not public API. */
export interface AuthSliceHandle {
  activity: ActivityTracker
  /** Takes a session another tab stored or broadcast; a new session when signed out here. */
  adoptSession(session: StoredSession): void
  /** Signs out because another tab did: no server call. Called only while signed in. */
  endSession(reason: SignOutReason): void
}

/**
 * The auth slice: the session and the actions that change it. Requests never reject out of
 * `refresh`/`validate`: their outcome lands in state, and only a 401 signs the user out.
 */
export const createAuthSlice =
  (runtime: AuthRuntime, handle: Partial<AuthSliceHandle>): SliceCreator<AuthSlice> =>
  (set, get) => {
    const { transport, now } = runtime.config

    const activity = createActivityTracker({
      throttleMs: runtime.config.activityThrottleMs,
      remoteLagMs: runtime.config.tickMs,
      readStored: () => get().lastActivityAt,
      write: (at, remote) =>
        set(
          (draft) => {
            draft.lastActivityAt = at
          },
          MERGE,
          remote ? authActions.remoteActivity : authActions.activity,
        ),
    })
    handle.activity = activity
    const isIdle = () => now() - activity.idleReference() >= runtime.config.idleTimeoutMs

    /** Did the session this response belongs to end, or its token change, while it was in flight? */
    const isStale = (epoch: number, token: string) =>
      runtime.epoch !== epoch || get().token !== token

    const signOut = (reason: SignOutReason, action: string, error: unknown = null) => {
      runtime.epoch += 1
      runtime.lastProvenValidAt = null
      set(
        (draft) => {
          Object.assign(draft, signedOutState(draft.lastActivityAt))
          draft.signOutReason = reason
          draft.error = error === null ? null : toErrorState(error)
        },
        MERGE,
        action,
      )
    }

    /** 'expired' when the server refused a token that had already run out; else it revoked a live one. */
    const reasonFor401 = (): SignOutReason => {
      const { expiresAt } = get()
      // Stryker disable next-line ConditionalExpression: only called while the session's token is in state, and a token always has a finite expiresAt
      return expiresAt !== null && expiresAt <= now() ? 'expired' : 'unauthorized'
    }

    const reportSuccess = () => {
      for (const listener of runtime.outcomes) listener.onSuccess()
    }
    const reportTransientFailure = (error: unknown, action: string) => {
      const errorState = toErrorState(error)
      set(
        (draft) => {
          draft.status = 'degraded'
          draft.error = errorState
        },
        MERGE,
        action,
      )
      for (const listener of runtime.outcomes) listener.onTransientFailure(errorState)
    }

    const runRefresh = async (): Promise<boolean> => {
      const state = get()
      const session = sessionOf(state)
      if (session === null) return false
      const epoch = runtime.epoch
      set(
        (draft) => {
          draft.status = 'refreshing'
        },
        MERGE,
        authActions.refreshPending,
      )
      const commit = (outcome: RefreshOutcome): boolean => {
        // A disposed store is not written to: a write would persist this tab's older session
        // over what the other tabs share.
        if (outcome.kind === 'abandoned') return false
        if (runtime.epoch !== epoch) return false
        // Another tab's token arrived (broadcast) while this request waited or ran: that
        // session is at least as new, so the refresh has happened and there is nothing to apply.
        // Stryker disable next-line ConditionalExpression: in one process the cross-tab re-read before the commit already adopts that token; this is for a broadcast that arrives before its localStorage write is visible here (another process), which a test cannot stage
        if (get().token !== session.accessToken) return true
        if (outcome.kind === 'endedElsewhere') {
          signOut('user', authActions.refreshRejected)
          return false
        }
        const applied =
          outcome.kind === 'adopted' ? { ...outcome.session } : applyTokenSet(outcome.raw, now())
        runtime.lastProvenValidAt = now()
        set(
          (draft) => {
            Object.assign(draft, applied)
            draft.status = 'authenticated'
            draft.error = null
          },
          MERGE,
          authActions.refreshFulfilled,
        )
        reportSuccess()
        return true
      }
      try {
        return await runtime.coordinator.refresh(
          session,
          state.expiresAt,
          () =>
            // The session moved on while this waited for the cross-tab lock (another tab's
            // token, adopted from its broadcast; a sign-out): commit() drops any answer, and
            // the request would present a refresh token that was rotated already. The lock
            // holder's re-read of the storage finds most such changes first; this catches the
            // ones that never reached the storage (a write that failed).
            isStale(epoch, session.accessToken)
              ? Promise.resolve(undefined)
              : transport.refresh(session),
          commit,
        )
      } catch (error) {
        if (isStale(epoch, session.accessToken)) return false
        if (isUnauthorized(error)) signOut(reasonFor401(), authActions.refreshRejected, error)
        else reportTransientFailure(error, authActions.refreshRejected)
        return false
      }
    }

    const adoptSession = (session: StoredSession) => {
      const state = get()
      if (state.token === session.token) return
      // Never go back to an older token (a replayed or late message).
      if (state.expiresAt !== null && session.expiresAt < state.expiresAt) return
      const isNewSession = state.status === 'signedOut'
      if (isNewSession) {
        runtime.epoch += 1
        activity.reset(now())
      }
      set(
        (draft) => {
          draft.token = session.token
          draft.refreshToken = session.refreshToken
          draft.expiresAt = session.expiresAt
          draft.status = 'authenticated'
          draft.error = null
          if (isNewSession) {
            draft.signOutReason = null
            draft.lastActivityAt = now()
          }
        },
        MERGE,
        authActions.adopt,
      )
    }
    handle.adoptSession = adoptSession
    handle.endSession = (reason) => signOut(reason, authActions.signedOutElsewhere)

    const runValidate = async (): Promise<void> => {
      const session = sessionOf(get())
      if (session === null || !transport.validate || runtime.refreshFlight.inFlight()) return
      const epoch = runtime.epoch
      try {
        await transport.validate(session)
        if (isStale(epoch, session.accessToken)) return
        runtime.lastProvenValidAt = now()
        // A refresh that began meanwhile owns the status (requests wait while it says
        // 'refreshing') until it settles.
        if (runtime.refreshFlight.inFlight()) return
        // Only a change is written: a quiet, healthy tick must cost no store write.
        const { status, error } = get()
        // Stryker disable next-line ConditionalExpression: 'degraded' always carries its error, 'refreshing' and signed out returned above: the status half never decides alone, but says what is restored
        if (status !== 'authenticated' || error !== null) {
          set(
            (draft) => {
              draft.status = 'authenticated'
              draft.error = null
            },
            MERGE,
            authActions.validateFulfilled,
          )
        }
        reportSuccess()
      } catch (error) {
        if (isStale(epoch, session.accessToken)) return
        if (isUnauthorized(error)) {
          // The server refused the access token, not necessarily the session: it may have
          // expired early on the server's clock. The refresh token decides, at once: a 401 there
          // signs out (revoked); a new token means the session goes on.
          await runtime.refreshFlight.run(runtime.epoch, runRefresh)
        } else if (!runtime.refreshFlight.inFlight()) {
          reportTransientFailure(error, authActions.validateRejected)
        }
      }
    }

    return {
      ...signedOutState(now()),

      async login(input) {
        let raw: unknown = input
        if (typeof input !== 'string' && !looksLikeTokenSet(input)) {
          if (!transport.login) {
            throw new InvalidTokenError(
              'login() needs an access token or a token set (this transport has no `login` for credentials)',
            )
          }
          raw = await transport.login(input)
        }
        const applied = applyGivenTokenSet(raw, now(), raw === input)
        const at = now()
        runtime.epoch += 1
        runtime.lastProvenValidAt = at
        set(
          (draft) => {
            Object.assign(draft, applied)
            draft.status = 'authenticated'
            draft.signOutReason = null
            draft.error = null
            draft.lastActivityAt = at
          },
          MERGE,
          authActions.login,
        )
        activity.reset(at)
      },

      async logout(reason = 'user') {
        // Signed out means no token; the reverse need not hold (devtools time travel to a
        // signed-in state after a sign-out), and logout() must end that state too.
        if (get().status === 'signedOut') return
        const session = sessionOf(get())
        signOut(reason, authActions.logout)
        if (reason === 'user' && session && transport.logout) {
          // Best effort: the user is signed out here whatever the server says.
          await transport.logout(session).catch(() => undefined)
        }
      },

      refresh: () => runtime.refreshFlight.run(runtime.epoch, runRefresh),

      validate: () => runtime.validateFlight.run(runtime.epoch, runValidate),

      recordActivity() {
        // Activity only matters to a session; signed out, it would be writes for nothing.
        if (get().status === 'signedOut') return
        // A user who comes back after the idle timeout (a laptop opened after a night, a tab
        // whose timers were frozen) is signed out, not revived by the first mouse move.
        if (isIdle()) {
          void get().logout('idle')
          return
        }
        activity.record(now())
      },
    }
  }
