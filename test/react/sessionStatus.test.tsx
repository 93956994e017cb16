import { cleanup, render, screen } from '@testing-library/react'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { AuthStoreProvider } from '../../src/react/AuthStoreProvider'
import { SessionStatus } from '../../src/react/SessionStatus'
import type { UiClock } from '../../src/react/uiClock'
import { createTestStore } from '../utils/createTestStore'
import { tokenAt } from '../utils/jwt'

/**
 * What `<SessionStatus>` tells the user in the states the stories leave out: countdowns of an
 * hour or more and the machine-readable duration of `<time dateTime>`. The stores are brought into their state by real actions against the
 * scripted transport; the UI clock stands still (at START unless a test moves it).
 */
const START = Date.parse('2026-01-01T09:00:00.400Z')
const SECOND = 1_000
const MINUTE = 60 * SECOND

beforeEach(() => {
  vi.useFakeTimers({ now: START })
})
afterEach(() => {
  cleanup()
  vi.useRealTimers()
})

/** Renders the component with the UI clock standing still at `at`. */
function show(store: ReturnType<typeof createTestStore>['store'], at = START) {
  const clock: UiClock = { now: () => at, subscribe: () => () => {} }
  render(
    <AuthStoreProvider store={store} clock={clock}>
      <SessionStatus />
    </AuthStoreProvider>,
  )
}

const countdown = () => screen.getByRole('timer')

describe('the countdown', () => {
  // [text, dateTime, token lifetime, time since login]: whole seconds, rounded down.
  it.each([
    ['59:59', 'PT3599S', 60 * MINUTE, 400],
    ['1:00:00', 'PT3600S', 60 * MINUTE, 0],
    ['1:02:03', 'PT3723S', 62 * MINUTE + 4 * SECOND, 999],
    ['12:00:00', 'PT43200S', 12 * 60 * MINUTE, 0],
  ])(
    'shows %s (dateTime %s) for the time left, in hours from an hour on',
    async (text, iso, ttlMs, sinceLoginMs) => {
      const { store } = createTestStore({ autoStart: false })
      await store.getState().login(tokenAt(START, ttlMs))

      show(store, START + sinceLoginMs)

      expect(countdown().textContent).toBe(text)
      expect(countdown().getAttribute('datetime')).toBe(iso)
    },
  )

  it('past the expiry: "Expired 2:00 ago", the dateTime the same size as the text', async () => {
    const { store } = createTestStore({ autoStart: false })
    await store.getState().login(tokenAt(START, 60 * MINUTE))

    show(store, START + 62 * MINUTE)

    expect(countdown().parentElement?.textContent).toBe('Expired 2:00 ago')
    expect(countdown().getAttribute('datetime')).toBe('PT120S')
  })
})
