import { describe, expect, it } from 'vitest'
import type { StateStorage } from 'zustand/middleware'
import { readStoredSession } from '../../src/tabs/storedSession'
import { tokenAt } from '../utils/jwt'

const KEY = 'auth-session'
const stored = (state: unknown) => JSON.stringify({ state, version: 1 })

const storageOf = (getItem: StateStorage['getItem']): StateStorage => ({
  getItem,
  setItem: () => {},
  removeItem: () => {},
})

describe('readStoredSession', () => {
  const token = tokenAt(Date.parse('2026-01-01T09:00:00Z'))
  const session = { token, refreshToken: 'r-1', expiresAt: 1_000 }

  it('reads a synchronous storage at once: a session, a sign-out, or null for anything else', () => {
    expect(
      readStoredSession(
        storageOf(() => stored(session)),
        KEY,
      ),
    ).toEqual(session)
    expect(
      readStoredSession(
        storageOf(() => stored({ token: null })),
        KEY,
      ),
    ).toBe('signedOut')
    expect(
      readStoredSession(
        storageOf(() => null),
        KEY,
      ),
    ).toBeNull()
    expect(
      readStoredSession(
        storageOf(() => stored({ ...session, token: 'x.y' })),
        KEY,
      ),
    ).toBeNull()
  })

  it('reads an async storage once its promise settles', async () => {
    const read = readStoredSession(
      storageOf(async () => stored(session)),
      KEY,
    )
    expect(read).toBeInstanceOf(Promise)
    await expect(read).resolves.toEqual(session)
  })

  it('a storage that throws, or rejects, is unknown (null), never an error', async () => {
    const throwing = storageOf(() => {
      throw new DOMException('denied', 'SecurityError')
    })
    expect(readStoredSession(throwing, KEY)).toBeNull()
    await expect(
      readStoredSession(
        storageOf(() => Promise.reject(new Error('idb closed'))),
        KEY,
      ),
    ).resolves.toBeNull()
  })
})
