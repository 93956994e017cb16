import { redactJwts } from '../errors/toErrorState'

const isProduction = (): boolean =>
  typeof process !== 'undefined' && process.env?.NODE_ENV === 'production'

/** A development warning with the library's prefix; silent in production, tokens redacted. */
export function warn(message: string, detail?: unknown): void {
  if (isProduction()) return
  const suffix = detail instanceof Error ? `: ${detail.message}` : ''
  console.warn(redactJwts(`[zustand-auth-session] ${message}${suffix}`))
}

export { isProduction }
