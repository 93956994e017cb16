import { describe, expect, it } from 'vitest'
import type { AuthSliceState } from '../../src/auth/authState'
import {
  selectIsAuthenticated,
  selectStatus,
  selectTimeUntilExpiry,
} from '../../src/auth/selectors'
import type { AuthStatus } from '../../src/types'

const state = (status: AuthStatus, expiresAt: number | null = 10_000): AuthSliceState => ({
  token: status === 'signedOut' ? null : 'token',
  refreshToken: null,
  expiresAt: status === 'signedOut' ? null : expiresAt,
  status,
  signOutReason: null,
  error: null,
  lastActivityAt: 0,
})

describe('selectors', () => {
  it.each([
    ['signedOut', false],
    ['authenticated', true],
    ['refreshing', true],
    ['degraded', true],
  ] as const)('selectIsAuthenticated is %s → %s', (status, expected) => {
    expect(selectIsAuthenticated(state(status))).toBe(expected)
    expect(selectStatus(state(status))).toBe(status)
  })

  it('selectTimeUntilExpiry: null signed out, then positive, zero and negative around expiry', () => {
    expect(selectTimeUntilExpiry(5_000)(state('signedOut'))).toBeNull()
    expect(selectTimeUntilExpiry(4_000)(state('authenticated', 10_000))).toBe(6_000)
    expect(selectTimeUntilExpiry(10_000)(state('authenticated', 10_000))).toBe(0)
    expect(selectTimeUntilExpiry(12_500)(state('degraded', 10_000))).toBe(-2_500)
  })
})
