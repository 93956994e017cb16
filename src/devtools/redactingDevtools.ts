import type { StateCreator, StoreMutatorIdentifier } from 'zustand'
import { type DevtoolsOptions, devtools } from 'zustand/middleware'
import { warn } from '../env/warn'
import { REDACTED, REDACTED_JWT, redact } from './redact'

interface Connection {
  init(state: unknown, ...rest: unknown[]): void
  send(action: unknown, state: unknown, ...rest: unknown[]): void
  subscribe(listener: (message: Message) => void): (() => void) | undefined
  unsubscribe?(): void
}
interface Extension {
  connect(options: unknown): Connection
}
interface Message {
  type: string
  state?: string
  payload?: unknown
}

type ExtensionHost = { __REDUX_DEVTOOLS_EXTENSION__?: Extension }

const host = (): ExtensionHost | undefined =>
  typeof window === 'undefined' ? undefined : (window as unknown as ExtensionHost)

/**
 * A message from the monitor (time travel, import) carries the redacted state back: put the
 * store's real secrets in place of the placeholders before zustand applies it.
 */
function restoreSecrets(message: Message, current: () => unknown): Message {
  // Stryker disable next-line ConditionalExpression: without it, a missing state makes JSON.parse throw and the catch passes the message on unchanged (zustand parses any other non-string state the same way)
  if (typeof message.state !== 'string') return message
  try {
    const incoming = JSON.parse(message.state) as Record<string, unknown>
    const live = current() as Record<string, unknown>
    for (const [key, value] of Object.entries(incoming)) {
      if (value === REDACTED_JWT || value === REDACTED) incoming[key] = live[key]
    }
    return { ...message, state: JSON.stringify(incoming) }
  } catch {
    return message
  }
}

function redactingExtension(real: Extension, current: () => unknown): Extension {
  return {
    connect(options) {
      const connection = real.connect(options)
      // What zustand's devtools calls (5.x never calls the extension's `error`).
      return {
        init: (state, ...rest) => connection.init(redact(state), ...rest),
        send: (action, state, ...rest) => connection.send(redact(action), redact(state), ...rest),
        subscribe: (listener) =>
          connection.subscribe((message) => listener(restoreSecrets(message, current))),
        unsubscribe: () => connection.unsubscribe?.(),
      }
    },
  }
}

type RedactingDevtools = <
  T,
  Mps extends [StoreMutatorIdentifier, unknown][] = [],
  Mcs extends [StoreMutatorIdentifier, unknown][] = [],
>(
  initializer: StateCreator<T, [...Mps, ['zustand/devtools', never]], Mcs>,
  options: DevtoolsOptions,
) => StateCreator<T, Mps, [['zustand/devtools', never], ...Mcs]>

type RedactingDevtoolsImpl = <T>(
  initializer: StateCreator<T, [], []>,
  options: DevtoolsOptions,
) => StateCreator<T, [], []>

/**
 * zustand's `devtools`, but the extension only ever sees redacted state. Redux DevTools'
 * `stateSanitizer` is not enough: the extension skips it for `init()` (a rehydrated session)
 * and the remote monitor's committed state. So the connection itself is wrapped, and it is
 * handed to zustand by pointing the global at the wrapper for the (synchronous) time zustand
 * reads it. Should the global not be writable, devtools stay off: secrets first.
 */
const redactingDevtoolsImpl: RedactingDevtoolsImpl = (initializer, options) => (set, get, api) => {
  const target = host()
  const real = target?.__REDUX_DEVTOOLS_EXTENSION__
  if (!target || !real || options.enabled === false) return initializer(set, get, api)
  const wrapper = redactingExtension(real, get)
  try {
    target.__REDUX_DEVTOOLS_EXTENSION__ = wrapper
  } catch {
    // a read-only global: checked just below
  }
  if (target.__REDUX_DEVTOOLS_EXTENSION__ !== wrapper) {
    warn('Redux DevTools left off: its global could not be wrapped to redact tokens')
    return initializer(set, get, api)
  }
  try {
    return (
      devtools(initializer, { ...options, enabled: true }) as StateCreator<
        ReturnType<typeof get>,
        [],
        []
      >
    )(set, get, api)
  } finally {
    target.__REDUX_DEVTOOLS_EXTENSION__ = real
  }
}

export const redactingDevtools = redactingDevtoolsImpl as unknown as RedactingDevtools
