import { create, type Mutate, type StoreApi, type UseBoundStore } from 'zustand'
import { persist } from 'zustand/middleware'
import { immer } from 'zustand/middleware/immer'
import { authActions } from './auth/actionNames'
import { type AuthSliceHandle, createAuthSlice } from './auth/authSlice'
import { redactingDevtools } from './devtools/redactingDevtools'
import { onUserActivity } from './env/browser'
import { isProduction, warn } from './env/warn'
import type { StorageError } from './errors/StorageError'
import { toErrorState } from './errors/toErrorState'
import type { AuthStoreOptions } from './options'
import { resolveStorage } from './persistence/defaultStorage'
import {
  mergePersistedSession,
  PERSIST_VERSION,
  type PersistedSession,
  partializeSession,
} from './persistence/persistedSession'
import { createSafeJsonStorage } from './persistence/safeJsonStorage'
import { createRuntime, resolveConfig } from './runtime'
import { scheduler } from './scheduler/scheduler'
import type { AuthState } from './storeTypes'
import { connectTabs } from './tabs/crossTab'
import { createJobsSlice } from './websocket/jobsSlice'

/** The hook `createAuthStore` returns: a bound zustand hook plus the store's controls. */
export type AuthStore = UseBoundStore<Mutate<StoreApi<AuthState>, StoreMutatorsOf>> & {
  /** Stops timers, removes listeners, closes sockets. Idempotent. */
  dispose(): void
  /**
   * Piggyback validation: tells the store an authenticated request with the current token just
   * succeeded, so the scheduler skips its next `validate()` call (the app already proved the
   * session valid). `createAuthClient` calls it on every 2xx; call it from your own HTTP layer
   * if you use another. Does nothing while signed out.
   */
  markSessionValid(): void
}

type StoreMutatorsOf = [
  ['zustand/devtools', never],
  ['auth/scheduler', never],
  ['zustand/persist', PersistedSession],
  ['zustand/immer', never],
]

/**
 * Builds one session store: `devtools(scheduler(persist(immer(slices))))`. The only place
 * middleware is applied and slices are combined.
 */
export function createAuthStore<Credentials = unknown>(
  options: AuthStoreOptions<Credentials>,
): AuthStore {
  const config = resolveConfig(options as AuthStoreOptions<never>)
  const runtime = createRuntime(config)
  const handle: Partial<AuthSliceHandle> = {}
  const storageProblems: StorageError[] = []
  const shared = resolveStorage(options.storage)
  const storage = createSafeJsonStorage<PersistedSession>(shared.storage, (problem) => {
    storageProblems.push(problem)
    // Reported after the current update, never from inside it. One found while zustand
    // hydrates (inside `create`) is reported as soon as the store exists, below, so the store
    // comes back with it; this later call then finds nothing left.
    queueMicrotask(reportStorageProblems)
  })
  const devtoolsOption = options.devtools ?? true
  const devtoolsEnabled =
    typeof devtoolsOption === 'object'
      ? (devtoolsOption.enabled ?? !isProduction())
      : devtoolsOption && !isProduction()

  const useAuthStore = create<AuthState>()(
    redactingDevtools(
      scheduler(
        persist(
          immer((...a) => ({
            ...createAuthSlice(runtime, handle)(...a),
            ...createJobsSlice(runtime, options.websocket)(...a),
          })),
          {
            name: config.storageKey,
            version: PERSIST_VERSION,
            storage,
            partialize: partializeSession,
            merge: (persisted, current) => mergePersistedSession(persisted, current, config.now()),
            // Another version's shape is not trusted: start signed out.
            migrate: () => ({}) as PersistedSession,
          },
        ),
        { runtime, activity: () => handle.activity },
      ),
      {
        name: (typeof devtoolsOption === 'object' && devtoolsOption.name) || config.storageKey,
        enabled: devtoolsEnabled,
        anonymousActionType: authActions.rehydrate,
      },
    ),
  ) as AuthStore

  // Bounded: a storage that throws is replaced by memory, so a report's own write fails once at most.
  function reportStorageProblems() {
    const problems = storageProblems.splice(0)
    for (const problem of problems) warn(problem.message, problem.cause)
    const last = problems.at(-1)
    if (last) useAuthStore.setState({ error: toErrorState(last) }, false, authActions.storageError)
  }
  reportStorageProblems()
  // The idle timeout of a rehydrated session counts from its stored last activity.
  // Stryker disable next-line OptionalChaining: createAuthSlice sets handle.activity inside create(), just above
  handle.activity?.reset(useAuthStore.getState().lastActivityAt)
  // An async storage answers after the store exists (and the scheduler's first check): its
  // session may have expired or idled while the app was closed, so it is checked at once too.
  // (After dispose() the scheduler is stopped, so this does nothing: no need to unsubscribe.)
  useAuthStore.persist.onFinishHydration((state) => {
    handle.activity?.reset(state.lastActivityAt)
    if (state.token !== null && useAuthStore.scheduler.isRunning()) {
      void useAuthStore.scheduler.tickNow()
    }
  })

  if (shared.shared) {
    const disconnectTabs = connectTabs({
      api: useAuthStore,
      runtime,
      handle: handle as AuthSliceHandle,
      storage: storage.current,
      crossProcess: shared.crossProcess,
    })
    runtime.disposers.add(disconnectTabs)
  }

  const stopActivity = onUserActivity(config.env, () => useAuthStore.getState().recordActivity())

  let disposed = false
  useAuthStore.dispose = () => {
    if (disposed) return
    disposed = true
    useAuthStore.scheduler.stop()
    stopActivity()
    for (const cleanup of runtime.disposers) cleanup()
    runtime.disposers.clear()
    useAuthStore.devtools?.cleanup()
  }

  useAuthStore.markSessionValid = () => {
    if (useAuthStore.getState().status !== 'signedOut') runtime.lastProvenValidAt = config.now()
  }

  if (options.autoStart !== false) useAuthStore.scheduler.start()
  return useAuthStore
}
