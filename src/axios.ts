/**
 * `zustand-auth-session/axios`: the axios adapter, a separate entry so the core never imports
 * axios (an optional peer dependency). The errors it throws are the core's, exported from both.
 */

export { isSessionEndedError, SessionEndedError } from './errors/index'
export * from './http/index'
