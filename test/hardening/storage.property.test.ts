import fc from 'fast-check'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import type { StateStorage } from 'zustand/middleware'
import { createTestStore } from '../utils/createTestStore'
import { tokenAt } from '../utils/jwt'
import { configurePropertyRuns } from '../utils/propertyRuns'

configurePropertyRuns()

beforeEach(() => {
  vi.useFakeTimers({ now: new Date('2026-01-01T09:00:00Z') })
  vi.spyOn(console, 'warn').mockImplementation(() => {})
  vi.spyOn(console, 'error').mockImplementation(() => {})
})
afterEach(() => {
  vi.useRealTimers()
})

/** What a storage may hold under our key: garbage, JSON of any shape, another version's state. */
const storedValue = fc.oneof(
  fc.string(),
  fc.jsonValue().map((value) => JSON.stringify(value)),
  fc
    .record({ state: fc.jsonValue(), version: fc.oneof(fc.integer(), fc.string()) })
    .map((value) => JSON.stringify(value)),
  fc
    .record({
      state: fc.record({
        token: fc.oneof(fc.string(), fc.constant(tokenAt(Date.parse('2026-01-01T09:00:00Z')))),
        expiresAt: fc.jsonValue(),
        lastActivityAt: fc.jsonValue(),
        refreshToken: fc.jsonValue(),
      }),
      version: fc.constant(1),
    })
    .map((value) => JSON.stringify(value)),
)

/** A storage whose every call may throw, and whose reads may return garbage. */
function hostileStorage(
  initial: string | null,
  throws: { get: boolean; set: boolean; remove: boolean },
): StateStorage {
  let value = initial
  return {
    getItem: () => {
      if (throws.get) throw new Error('SecurityError')
      return value
    },
    setItem: (_name, next) => {
      if (throws.set) throw new Error('QuotaExceededError')
      value = next
    },
    removeItem: () => {
      if (throws.remove) throw new Error('nope')
      value = null
    },
  }
}

describe('hostile storage', () => {
  it('any stored value and any throwing method: a consistent store that still signs in and out', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.option(storedValue, { nil: null }),
        fc.record({ get: fc.boolean(), set: fc.boolean(), remove: fc.boolean() }),
        async (initial, throws) => {
          const { store } = createTestStore({ storage: hostileStorage(initial, throws) })
          await vi.advanceTimersByTimeAsync(0)
          await store.getState().login(tokenAt(Date.now()))
          expect(store.getState().status).toBe('authenticated')
          await store.getState().refresh()
          expect(store.getState().status).toBe('authenticated')
          await store.getState().logout()
          expect(store.getState().token).toBeNull()
          store.dispose()
          vi.clearAllTimers()
        },
      ),
    )
  })

  it('another tab writing the shared storage at the same time never corrupts this tab', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(storedValue, { minLength: 1, maxLength: 8 }), async (writes) => {
        let value: string | null = null
        const shared: StateStorage = {
          getItem: () => value,
          setItem: (_name, next) => {
            value = next
          },
          removeItem: () => {
            value = null
          },
        }
        const { store } = createTestStore({ storage: shared })
        await store.getState().login(tokenAt(Date.now()))
        for (const write of writes) {
          value = write // the other tab's write lands between ours
          await store.getState().refresh()
        }
        const state = store.getState()
        expect(state.status === 'signedOut' || typeof state.token === 'string').toBe(true)
        store.dispose()
        vi.clearAllTimers()
      }),
    )
  })
})
