import type { StoreApi } from 'zustand'
import type { StateStorage } from 'zustand/middleware'
import type { AuthSliceHandle } from '../auth/authSlice'
import type { RefreshCoordinator, RefreshOutcome } from '../auth/refreshCoordinator'
import { defaultTimers } from '../env/timers'
import type { AuthRuntime } from '../runtime'
import type { AuthState } from '../storeTypes'
import { isThenable } from '../thenable'
import { openTabChannel } from './channel'
import { parseTabMessage, type TabMessage } from './messages'
import { lockTimeoutFor, type RefreshLock, storageLeaseLock, webLock } from './refreshLock'
import { readStoredSession, type Stored } from './storedSession'

/**
 * Long enough for another tab's localStorage write to arrive (in Chromium, 5–10 ms were seen to
 * be too short, 100 ms enough). Real time on the platform's timer, not the injected clock's: it
 * is how long another process takes, whatever time the store is told it is.
 */
const waitForOtherProcesses = () =>
  new Promise<void>((resolve) => defaultTimers.setTimeout(resolve, 100))

const newTabId = (): string =>
  globalThis.crypto?.randomUUID?.() ??
  // Stryker disable next-line MethodExpression: the id is only compared for equality; a '0.' before the random digits keeps it as unique
  `${Date.now().toString(36)}-${Math.random().toString(36).slice(2)}`

/**
 * Makes the stores of several tabs (same origin, storage and key) act as one session:
 * - one refresh per cycle: the request runs under a lock, after a re-read of the shared
 *   session (a tab that waited finds the new token and skips its own request), and the
 *   session is read again before the answer is committed, so a refresh never overwrites a
 *   newer token or resurrects a session signed out elsewhere meanwhile;
 * - a new token, a sign-out and user activity are broadcast and applied by the others;
 * - a validation by any tab counts for all (the scheduler skips a validation that another
 *   tab did since its last tick), so N tabs cost the server what one does.
 */
export function connectTabs(options: {
  api: StoreApi<AuthState>
  runtime: AuthRuntime
  handle: AuthSliceHandle
  storage: StateStorage
  /** The storage is the browser's localStorage, shared by processes (see `confirmDelay`). */
  crossProcess?: boolean
}): () => void {
  const { api, runtime, handle, storage } = options
  const { env, storageKey, timers, now, refreshWindowMs } = runtime.config
  const tabId = newTabId()
  const name = `zustand-auth-session:${storageKey}`
  const lockOptions = {
    name,
    tabId,
    acquireTimeoutMs: lockTimeoutFor(refreshWindowMs),
    confirmDelay: options.crossProcess ? waitForOtherProcesses : undefined,
    timers,
    now,
  }
  const lock: RefreshLock = env.locks
    ? webLock(env.locks, lockOptions)
    : storageLeaseLock(storage, lockOptions)
  let disconnected = false

  const coordinator: RefreshCoordinator = {
    refresh: (session, expiresAt, request, commit) =>
      lock.run(async () => {
        // dispose() ended this refresh's wait for the lock: the request would go out after it.
        if (disconnected) return commit({ kind: 'abandoned' })
        // What the shared session says of this refresh: ended elsewhere, or done elsewhere
        // (a newer token; equal expiry counts: one issued in the same second, written after ours).
        const settledElsewhere = (stored: Stored): RefreshOutcome | null => {
          if (stored === 'signedOut') return { kind: 'endedElsewhere' }
          if (
            stored !== null &&
            stored.token !== session.accessToken &&
            stored.expiresAt >= (expiresAt ?? Number.NEGATIVE_INFINITY)
          ) {
            return { kind: 'adopted', session: stored }
          }
          return null
        }
        const before = settledElsewhere(await readStoredSession(storage, storageKey))
        if (before) return commit(before)
        const raw = await request()
        // Read again before committing, locked or not: the lock keeps other tabs from
        // refreshing, not from signing out or in meanwhile, and neither may be overwritten.
        // Committed while the lock is held: the next tab in line must read the new session.
        const decide = (stored: Stored) =>
          // Stryker disable next-line StringLiteral: commit takes every outcome but 'adopted', 'endedElsewhere' and 'abandoned' as the server's answer
          commit(settledElsewhere(stored) ?? { kind: 'refreshed', raw })
        const after = readStoredSession(storage, storageKey)
        // A synchronous storage is read and committed in one go: nothing can write in between.
        return isThenable(after) ? after.then(decide) : decide(after)
      }),
  }
  runtime.coordinator = coordinator

  let applyingRemote = false
  // A session already here (rehydrated) began when the tab opened; a sign-in sets it again below.
  let sessionStartedAt = now()
  let signedOutAt = Number.NEGATIVE_INFINITY
  const head = () => ({ key: storageKey, from: tabId, sentAt: now() })

  // A time from the future would hold the idle timeout (or the next validation) off until the
  // clock caught up with it: another tab's word counts as now at the latest.
  const notAfterNow = (at: number) => Math.min(at, now())

  const apply = (message: TabMessage) => {
    const signedIn = api.getState().status !== 'signedOut'
    switch (message.kind) {
      case 'session':
        // A replay of a session that ended after it was sent must not sign the user back in.
        if (!signedIn && message.sentAt <= signedOutAt) return
        handle.adoptSession(message)
        return
      case 'signOut':
        if (signedIn && message.sentAt >= sessionStartedAt) handle.endSession(message.reason)
        return
      case 'activity':
        if (signedIn) handle.activity.recordRemote(notAfterNow(message.at))
        return
      case 'validated': {
        const at = notAfterNow(message.at)
        // Stryker disable next-line EqualityOperator: at an equal time the assignment writes the value already there
        if (signedIn && at > (runtime.lastProvenValidAt ?? Number.NEGATIVE_INFINITY)) {
          runtime.lastProvenValidAt = at
        }
      }
    }
  }

  const channel = openTabChannel({
    env,
    storage,
    name,
    onMessage(data) {
      const message = parseTabMessage(data, storageKey, tabId)
      if (!message) return
      applyingRemote = true
      try {
        apply(message)
      } finally {
        applyingRemote = false
      }
    },
  })

  const unsubscribe = api.subscribe((state, previous) => {
    const wasSignedIn = previous.status !== 'signedOut'
    const isSignedIn = state.status !== 'signedOut'
    if (isSignedIn && !wasSignedIn) sessionStartedAt = now()
    if (!isSignedIn && wasSignedIn) signedOutAt = now()
    if (applyingRemote) return
    if (isSignedIn && state.token !== previous.token && state.token && state.expiresAt !== null) {
      channel.post({
        ...head(),
        kind: 'session',
        token: state.token,
        refreshToken: state.refreshToken,
        expiresAt: state.expiresAt,
      })
    } else if (!isSignedIn && wasSignedIn) {
      channel.post({ ...head(), kind: 'signOut', reason: state.signOutReason ?? 'user' })
    } else if (isSignedIn && state.lastActivityAt > previous.lastActivityAt) {
      channel.post({ ...head(), kind: 'activity', at: state.lastActivityAt })
    }
  })

  const validatedListener = {
    onSuccess() {
      if (runtime.lastProvenValidAt !== null) {
        channel.post({ ...head(), kind: 'validated', at: runtime.lastProvenValidAt })
      }
    },
    onTransientFailure() {},
  }
  runtime.outcomes.add(validatedListener)

  return () => {
    disconnected = true
    lock.close()
    unsubscribe()
    runtime.outcomes.delete(validatedListener)
    channel.close()
  }
}
