import { redactJwts } from '../errors/toErrorState'

/**
 * Bundlers replace `process.env.NODE_ENV` with a string at build time, so the expression must
 * stay exactly that (a `typeof process` guard would stay false in a browser build); where no
 * bundler replaced it and there is no `process`, reading it throws, and that is not production.
 */
const isProduction = (): boolean => {
  try {
    return process.env.NODE_ENV === 'production'
  } catch {
    return false
  }
}

/** A development warning with the library's prefix; silent in production, tokens redacted. */
export function warn(message: string, detail?: unknown): void {
  if (isProduction()) return
  const suffix = detail instanceof Error ? `: ${detail.message}` : ''
  console.warn(redactJwts(`[zustand-auth-session] ${message}${suffix}`))
}

export { isProduction }
