import { act, render, screen } from '@testing-library/react'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { memoryStorage } from '../../src/persistence/memoryStorage'
import { AuthStoreProvider } from '../../src/react/AuthStoreProvider'
import { SessionStatus } from '../../src/react/SessionStatus'
import type { UiClock } from '../../src/react/uiClock'
import { createTestStore } from '../utils/createTestStore'
import type { Outcome } from '../utils/fakeTransport'
import { tokenAt } from '../utils/jwt'

/**
 * What `<SessionStatus>` tells the user in the states the stories leave out: countdowns of an
 * hour or more, the machine-readable duration of `<time dateTime>`, every kind of error and the
 * "expired" sign-out. The stores are brought into their state by real actions against the
 * scripted transport; the UI clock stands still (at START unless a test moves it).
 */
const START = Date.parse('2026-01-01T09:00:00.400Z')
const SECOND = 1_000
const MINUTE = 60 * SECOND

beforeEach(() => {
  vi.useFakeTimers({ now: START })
  vi.spyOn(console, 'warn').mockImplementation(() => {})
})
afterEach(() => {
  vi.useRealTimers()
  vi.restoreAllMocks()
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
const statusLine = () => screen.getByRole('status').textContent
const sessionError = () => document.querySelector('[data-part="error"]')?.textContent ?? null

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

describe('the error line: one sentence per kind of error, then the message', () => {
  it.each<[string, Outcome, string]>([
    ['network', 'network', 'No answer from the server: connect ECONNREFUSED'],
    ['timeout', 'timeout', 'The server took too long: timeout of 10000ms exceeded'],
    [
      'http',
      500,
      'The server answered with an error (HTTP 500): Request failed with status code 500',
    ],
    [
      'unauthorized',
      401,
      'The server refused the session (HTTP 401): Request failed with status code 401',
    ],
    [
      'invalid_response',
      { resolve: 42 },
      'The server sent something unexpected: Expected a token set, got a number',
    ],
    [
      'invalid_token',
      { resolve: { accessToken: 'not-a-jwt', refreshToken: 'r-2' } },
      'The token could not be read: The access token is not a JWT: Invalid token specified: missing part #2',
    ],
  ])('a refresh that fails with %s', async (_kind, outcome, text) => {
    const { store, fake } = createTestStore({ autoStart: false })
    await store.getState().login(tokenAt(START))
    fake.next('refresh', outcome)
    await store.getState().refresh()

    show(store)

    expect(sessionError()).toBe(text)
  })

  it('a refresh whose transport fails with something that is not ours: unknown', async () => {
    const { store, fake } = createTestStore({ autoStart: false })
    await store.getState().login(tokenAt(START))
    fake.transport.refresh.mockRejectedValueOnce(new TypeError('fetch is not a function'))
    await store.getState().refresh()

    show(store)

    expect(sessionError()).toBe('Something went wrong: fetch is not a function')
  })

  it('a storage that cannot be read (access denied): storage', () => {
    const storage = {
      ...memoryStorage(),
      getItem: () => {
        throw new Error('SecurityError: access is denied for this document')
      },
    }
    const { store } = createTestStore({ autoStart: false, storage })

    show(store)

    expect(sessionError()).toBe(
      'The browser storage failed: The storage threw; the session is kept in memory from now on',
    )
  })
})

describe('the status line', () => {
  const label = () => screen.getByRole('status').querySelector('strong')?.textContent
  const shownStatus = () => document.querySelector('section')?.getAttribute('data-status')

  it('a retry in flight after a network error still says "Connection problem, retrying"', async () => {
    const { store, fake } = createTestStore({ autoStart: false })
    await store.getState().login(tokenAt(START))
    fake.next('refresh', 'network')
    await store.getState().refresh()
    show(store)
    expect([label(), shownStatus()]).toEqual(['Connection problem, retrying', 'degraded'])

    fake.holdResponses(true)
    const retry = store.getState().refresh()
    await act(() => Promise.resolve())
    expect(store.getState().status).toBe('refreshing')
    // The same words: the live region has nothing new to announce.
    expect([label(), shownStatus()]).toEqual(['Connection problem, retrying', 'degraded'])

    fake.holdResponses(false)
    await act(() => retry)
    expect([label(), shownStatus()]).toEqual(['Signed in', 'authenticated'])
  })

  it('a refresh in flight with no failure before it says "Refreshing session…"', async () => {
    const { store, fake } = createTestStore({ autoStart: false })
    await store.getState().login(tokenAt(START))
    fake.holdResponses(true)
    void store.getState().refresh()
    show(store)
    expect([label(), shownStatus()]).toEqual(['Refreshing session…', 'refreshing'])
  })

  it('a refresh in flight after a storage problem says "Refreshing session…": not a connection problem', async () => {
    const storage = {
      ...memoryStorage(),
      setItem: () => {
        throw new DOMException('The quota has been exceeded', 'QuotaExceededError')
      },
    }
    const { store, fake } = createTestStore({ autoStart: false, storage })
    await store.getState().login(tokenAt(START))
    await Promise.resolve()
    expect(store.getState().error?.kind).toBe('storage')
    fake.holdResponses(true)
    void store.getState().refresh()
    show(store)
    expect(store.getState()).toMatchObject({ status: 'refreshing', error: { kind: 'storage' } })
    expect([label(), shownStatus()]).toEqual(['Refreshing session…', 'refreshing'])
  })
})

describe('the sign-out reason', () => {
  it('a 401 for a token that had already run out: "The session expired."', async () => {
    const { store, fake } = createTestStore({ autoStart: false })
    await store.getState().login(tokenAt(START, 60 * MINUTE))
    vi.setSystemTime(START + 61 * MINUTE)
    fake.next('refresh', 401)
    await store.getState().refresh()

    show(store)

    expect(statusLine()).toBe('Signed out The session expired.')
  })
})
