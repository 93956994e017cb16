import { createContext, type ReactNode, useContext, useMemo, useSyncExternalStore } from 'react'
import type { AuthStore } from '../createAuthStore'
import { createTickingClock, type UiClock } from './uiClock'

interface AuthStoreContextValue {
  store: AuthStore
  clock: UiClock
}

const AuthStoreContext = createContext<AuthStoreContextValue | null>(null)

export interface AuthStoreProviderProps {
  /** The bound hook `createAuthStore` returned. The provider never creates or disposes it. */
  store: AuthStore
  /** The time the components show. @default a clock that ticks every second */
  clock?: UiClock
  children?: ReactNode
}

/**
 * Gives the components below it their session store (and the UI clock). The store is created
 * by the app (one per app, or one per story or test) and passed in: this is plumbing, not a
 * second place where a store is built.
 */
export function AuthStoreProvider({ store, clock, children }: AuthStoreProviderProps) {
  const value = useMemo(() => {
    // Bound once, so a clock written as a class works and useSyncExternalStore does not
    // resubscribe on every render.
    const source = clock ?? createTickingClock()
    const bound: UiClock = {
      now: () => source.now(),
      subscribe: (onChange) => source.subscribe(onChange),
    }
    return { store, clock: bound }
  }, [store, clock])
  return <AuthStoreContext.Provider value={value}>{children}</AuthStoreContext.Provider>
}

function useAuthContext(hookName: string): AuthStoreContextValue {
  const value = useContext(AuthStoreContext)
  if (value === null) {
    throw new Error(`[zustand-auth-session] ${hookName}() must be used inside <AuthStoreProvider>`)
  }
  return value
}

/**
 * The store of the nearest `<AuthStoreProvider>`: a zustand hook, so select narrowly:
 * `const useAuthStore = useAuthStoreContext(); const status = useAuthStore(selectStatus)`.
 */
export function useAuthStoreContext(): AuthStore {
  return useAuthContext('useAuthStoreContext').store
}

/** The UI time of the nearest provider; the component re-renders when it moves. */
export function useNow(): number {
  const { clock } = useAuthContext('useNow')
  return useSyncExternalStore(clock.subscribe, clock.now, clock.now)
}
