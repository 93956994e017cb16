import { decodeClaims } from '../auth/token'
import { isFiniteNumber } from '../numbers'
import type { SignOutReason } from '../types'

/** What tabs of one origin and storage key tell each other. `from` is the sender's tab id. */
export type TabMessage = { key: string; from: string; sentAt: number } & (
  | { kind: 'session'; token: string; refreshToken: string | null; expiresAt: number }
  | { kind: 'signOut'; reason: SignOutReason }
  | { kind: 'activity'; at: number }
  | { kind: 'validated'; at: number }
)

const REASONS = new Set<SignOutReason>(['user', 'unauthorized', 'expired', 'idle'])

/**
 * Reads a message from another tab, or null. Anything malformed, for another storage key,
 * from this tab, or carrying a token that does not decode, is ignored: a channel is shared
 * with whatever else runs on the origin.
 */
export function parseTabMessage(data: unknown, key: string, self: string): TabMessage | null {
  if (typeof data !== 'object' || data === null) return null
  const message = data as Record<string, unknown>
  if (message.key !== key || typeof message.from !== 'string' || message.from === self) return null
  if (!isFiniteNumber(message.sentAt)) return null
  const head = { key, from: message.from, sentAt: message.sentAt }
  switch (message.kind) {
    case 'session': {
      const { token, refreshToken, expiresAt } = message
      // Stryker disable next-line ConditionalExpression: decodeClaims below throws for a token that is not a string: null all the same
      if (typeof token !== 'string' || !isFiniteNumber(expiresAt)) return null
      if (refreshToken !== null && typeof refreshToken !== 'string') return null
      try {
        decodeClaims(token)
      } catch {
        return null
      }
      return { ...head, kind: 'session', token, refreshToken, expiresAt }
    }
    case 'signOut':
      return REASONS.has(message.reason as SignOutReason)
        ? { ...head, kind: 'signOut', reason: message.reason as SignOutReason }
        : null
    case 'activity':
    case 'validated':
      return isFiniteNumber(message.at) ? { ...head, kind: message.kind, at: message.at } : null
    default:
      return null
  }
}
