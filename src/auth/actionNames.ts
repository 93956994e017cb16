/** Every name the auth slice gives a state change in Redux DevTools. Tests import these. */
export const authActions = {
  login: 'auth/login',
  logout: 'auth/logout',
  refreshPending: 'auth/refresh/pending',
  refreshFulfilled: 'auth/refresh/fulfilled',
  refreshRejected: 'auth/refresh/rejected',
  validateFulfilled: 'auth/validate/fulfilled',
  validateRejected: 'auth/validate/rejected',
  activity: 'auth/activity',
  rehydrate: 'auth/rehydrate',
  storageError: 'auth/storage/error',
  /** A session (a login or a refreshed token) taken from another tab. */
  adopt: 'tabs/session',
  /** Signed out because another tab signed out. */
  signedOutElsewhere: 'tabs/signOut',
  /** Activity reported by another tab. */
  remoteActivity: 'tabs/activity',
} as const

export type AuthActionName = (typeof authActions)[keyof typeof authActions]

/** Names the scheduler gives the state changes it makes itself. */
export const schedulerActions = {
  tick: 'scheduler/tick',
} as const

export type SchedulerActionName = (typeof schedulerActions)[keyof typeof schedulerActions]
