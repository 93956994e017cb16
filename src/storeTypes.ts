import type { StateCreator } from 'zustand'
import type { AuthSlice } from './auth/authState'
import type {} from './scheduler/scheduler'
import type { JobsSlice } from './websocket/jobState'

/** The whole store's state: every slice combined. */
export type AuthState = AuthSlice & JobsSlice

/** The middleware stack of `createAuthStore`, outermost first; every slice is typed against it. */
export type Mutators = [
  ['zustand/devtools', never],
  ['auth/scheduler', never],
  ['zustand/persist', unknown],
  ['zustand/immer', never],
]

export type SliceCreator<Slice> = StateCreator<AuthState, Mutators, [], Slice>
