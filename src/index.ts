export type { AuthActionName, SchedulerActionName } from './auth/actionNames'
export { authActions, schedulerActions } from './auth/actionNames'
export type { AuthSlice, AuthSliceActions, AuthSliceState } from './auth/authState'
export { selectIsAuthenticated, selectStatus, selectTimeUntilExpiry } from './auth/selectors'
export { computeExpiresAt, decodeClaims, parseTokenSet } from './auth/token'
export type { AuthStore } from './createAuthStore'
export { createAuthStore } from './createAuthStore'
export { redact } from './devtools/redact'
export type { AuthEnv } from './env/browser'
export { headlessEnv } from './env/browser'
export type { Clock } from './env/clock'
export type { Timers } from './env/timers'
export * from './errors/index'
export type { AuthStoreOptions, DevtoolsOptions } from './options'
export { memoryStorage } from './persistence/memoryStorage'
export type { RetryOptions } from './scheduler/backoff'
export type { SchedulerApi } from './scheduler/tickLoop'
export type { AuthState } from './storeTypes'
export type {
  AuthErrorKind,
  AuthErrorState,
  AuthStatus,
  Session,
  SignOutReason,
  TokenSet,
  Transport,
} from './types'
export type { WsActionName } from './websocket/actionNames'
export { wsActions } from './websocket/actionNames'
export type {
  JobErrorState,
  JobEvent,
  JobListener,
  JobState,
  JobStatus,
  JobsSlice,
  JobsSliceActions,
  JobsSliceState,
} from './websocket/jobState'
export type { WebSocketConstructor, WebSocketLike } from './websocket/webSocketLike'
export type { TokenStrategy, WebSocketOptions } from './websocket/websocketOptions'
