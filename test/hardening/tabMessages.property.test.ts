import fc from 'fast-check'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import type { BroadcastChannelConstructor, BroadcastChannelLike } from '../../src/env/browser'
import { memoryStorage } from '../../src/persistence/memoryStorage'
import { parseTabMessage } from '../../src/tabs/messages'
import { createTestStore } from '../utils/createTestStore'
import { createFakeEnv } from '../utils/fakeEnv'
import { tokenAt } from '../utils/jwt'
import { configurePropertyRuns } from '../utils/propertyRuns'

configurePropertyRuns()

beforeEach(() => {
  vi.useFakeTimers({ now: new Date('2026-01-01T09:00:00Z') })
})
afterEach(() => {
  vi.useRealTimers()
})

/** A channel the test writes into directly, as a hostile script on the origin would. */
function hostileChannel() {
  const channels: BroadcastChannelLike[] = []
  const Channel = class implements BroadcastChannelLike {
    onmessage: ((event: { data: unknown }) => void) | null = null
    constructor(_name: string) {
      channels.push(this)
    }
    postMessage() {}
    close() {}
  } as BroadcastChannelConstructor
  return {
    Channel,
    inject: (data: unknown) => {
      for (const channel of channels) channel.onmessage?.({ data })
    },
  }
}

const KINDS = ['session', 'signOut', 'activity', 'validated', 'other']
const message = fc.record(
  {
    key: fc.oneof(fc.constant('auth-session'), fc.string()),
    from: fc.oneof(fc.string(), fc.integer()),
    sentAt: fc.oneof(fc.integer(), fc.double(), fc.string()),
    kind: fc.constantFrom(...KINDS),
    token: fc.oneof(
      fc.string(),
      fc.constant(tokenAt(0)),
      fc.constant(tokenAt(Date.parse('2025-12-31T09:00:00Z'))),
    ),
    refreshToken: fc.oneof(fc.string(), fc.constant(null), fc.integer()),
    expiresAt: fc.oneof(fc.integer(), fc.double()),
    reason: fc.oneof(fc.constantFrom('user', 'idle', 'unauthorized', 'expired'), fc.string()),
    at: fc.oneof(fc.integer(), fc.double()),
  },
  { requiredKeys: [] },
)

describe('hostile cross-tab messages', () => {
  it('parseTabMessage never throws, whatever it is given', () => {
    fc.assert(
      fc.property(fc.oneof(fc.anything(), message), (data) => {
        expect(() => parseTabMessage(data, 'auth-session', 'me')).not.toThrow()
      }),
    )
  })

  it('a replayed old token never replaces a newer one, and garbage changes nothing', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(message, { maxLength: 20 }), async (messages) => {
        const channel = hostileChannel()
        const browser = createFakeEnv({ BroadcastChannel: channel.Channel })
        const { store } = createTestStore({ storage: memoryStorage(), env: browser.env })
        await store.getState().login(tokenAt(Date.now()))
        const { token, expiresAt } = store.getState()
        for (const data of messages) {
          const state = store.getState()
          channel.inject(data)
          const after = store.getState()
          // Only a well-formed message may change anything; a session message never goes back.
          if (after !== state && after.token !== state.token && after.token !== null) {
            expect(after.expiresAt as number).toBeGreaterThanOrEqual(
              state.expiresAt ?? Number.NEGATIVE_INFINITY,
            )
          }
        }
        // The messages the generator can make never include a newer valid session than ours.
        if (store.getState().token !== null) {
          expect(store.getState().expiresAt as number).toBeGreaterThanOrEqual(expiresAt as number)
          expect(typeof store.getState().token).toBe('string')
        }
        expect(token).toBeTruthy()
        store.dispose()
      }),
    )
  })
})
