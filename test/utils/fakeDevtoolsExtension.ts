import { afterEach, beforeEach, vi } from 'vitest'

/**
 * A stand-in for `window.__REDUX_DEVTOOLS_EXTENSION__` that records everything it is sent,
 * so a test can check action names and scan for leaked secrets.
 */
export function installFakeDevtoolsExtension() {
  const sent: Array<{ action: { type: string }; state: Record<string, unknown> }> = []
  const inits: unknown[] = []
  let listener: ((message: { type: string; state?: string; payload?: unknown }) => void) | null =
    null
  const connection = {
    init: vi.fn((state: unknown) => inits.push(state)),
    send: vi.fn((action: { type: string }, state: Record<string, unknown>) =>
      sent.push({ action, state }),
    ),
    subscribe: vi.fn((fn: typeof listener) => {
      listener = fn
      return () => {
        listener = null
      }
    }),
    unsubscribe: vi.fn(),
    error: vi.fn(),
  }
  const extension = { connect: vi.fn(() => connection) }
  ;(window as unknown as { __REDUX_DEVTOOLS_EXTENSION__?: unknown }).__REDUX_DEVTOOLS_EXTENSION__ =
    extension
  return {
    extension,
    connection,
    sent,
    inits,
    actionTypes: () => sent.map((entry) => entry.action.type),
    /** Everything the extension received, as one string to search for secrets. */
    transcript: () => JSON.stringify({ sent, inits }),
    /** Plays a message from the monitor (time travel, import) into the store. */
    dispatchFromMonitor: (message: { type: string; state?: string; payload?: unknown }) =>
      listener?.(message),
    uninstall: () => {
      delete (window as unknown as { __REDUX_DEVTOOLS_EXTENSION__?: unknown })
        .__REDUX_DEVTOOLS_EXTENSION__
    },
  }
}

export type FakeDevtoolsExtension = ReturnType<typeof installFakeDevtoolsExtension>

/**
 * For every test of the file that calls this at its top level: fake timers from
 * `fakeTimersFrom` (the scheduler's ticks are what send actions, and tokens are minted on that
 * clock), then a fresh fake extension; after it, the extension uninstalled and real timers back.
 *
 * Returns one object for the whole file, onto which each test's fake is copied, so tests keep
 * writing `devtools.sent`. Copying is enough: the fake never reassigns its own fields.
 */
export function setUpFakeDevtoolsExtension(options: { fakeTimersFrom: Date }) {
  const current = {} as FakeDevtoolsExtension
  beforeEach(() => {
    vi.useFakeTimers({ now: options.fakeTimersFrom })
    Object.assign(current, installFakeDevtoolsExtension())
  })
  afterEach(() => {
    current.uninstall()
    vi.useRealTimers()
  })
  return current
}
