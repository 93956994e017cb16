/**
 * `zustand-auth-session/react`: the provider and example components, a separate entry so the
 * core never imports React (an optional peer dependency).
 */

export * from './react/index'
