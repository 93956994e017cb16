import { redactJwts } from '../errors/toErrorState'

/** Keys whose values are secrets wherever they appear in state or an action. */
const SECRET_KEYS = new Set([
  'token',
  'refreshToken',
  'accessToken',
  'access_token',
  'refresh_token',
])

export const REDACTED_JWT = 'eyJ…(redacted)'
export const REDACTED = '…(redacted)'

const redactSecret = (value: unknown): unknown =>
  typeof value === 'string' ? (value.startsWith('eyJ') ? REDACTED_JWT : REDACTED) : value

/**
 * A copy of `value` with every secret replaced, for anything that leaves the library (devtools,
 * logs). Secret keys are masked whatever they hold; any other string that contains a JWT has
 * the JWT masked. Functions are dropped: devtools cannot show them anyway.
 */
export function redact(value: unknown, ancestors = new WeakSet<object>()): unknown {
  if (typeof value === 'string') return redactJwts(value)
  if (typeof value !== 'object' || value === null) return value
  // Only an object inside itself is a cycle; the same object twice side by side is copied twice.
  if (ancestors.has(value)) return '[Circular]'
  ancestors.add(value)
  try {
    if (Array.isArray(value)) return value.map((item) => redact(item, ancestors))
    const copy: Record<string, unknown> = {}
    for (const [key, item] of Object.entries(value)) {
      if (typeof item === 'function') continue
      copy[key] = SECRET_KEYS.has(key) ? redactSecret(item) : redact(item, ancestors)
    }
    return copy
  } finally {
    ancestors.delete(value)
  }
}
