import type { StateCreator, StoreMutatorIdentifier } from 'zustand'
import { type DevtoolsOptions, devtools } from 'zustand/middleware'
import { warn } from '../env/warn'
import { redact } from './redact'
import { restoreSession } from './restoreSession'

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

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null

/**
 * A Redux DevTools import: the monitor's whole history, each entry's state in `state`. Only an
 * IMPORT_STATE carries one, and zustand reads it only there.
 */
interface ImportPayload {
  nextLiftedState: { computedStates: Array<{ state?: unknown }> }
}

const isImport = (payload: unknown): payload is ImportPayload =>
  isRecord(payload) &&
  isRecord(payload.nextLiftedState) &&
  Array.isArray(payload.nextLiftedState.computedStates)

/**
 * A message from the monitor carries redacted state back: time travel and rollback in
 * `state` (JSON), an import in `payload.nextLiftedState`. Make each state safe to apply
 * (`restoreSession`) before zustand applies it.
 */
function fromMonitor(message: Message, current: () => unknown): Message {
  const live = current() as Record<string, unknown>
  const restore = (state: unknown) => (isRecord(state) ? restoreSession(state, live) : state)
  // Stryker disable next-line ConditionalExpression: without it, a message with no state makes JSON.parse throw into the catch, which passes it on as it is
  if (typeof message.state === 'string') {
    try {
      return { ...message, state: JSON.stringify(restore(JSON.parse(message.state))) }
    } catch {
      // Not JSON: passed on as it is; zustand reports it and applies nothing.
    }
  }
  if (!isImport(message.payload)) return message
  const { nextLiftedState } = message.payload
  const computedStates = nextLiftedState.computedStates.map((entry) =>
    isRecord(entry) ? { ...entry, state: restore(entry.state) } : entry,
  )
  return {
    ...message,
    payload: { ...message.payload, nextLiftedState: { ...nextLiftedState, computedStates } },
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
          connection.subscribe((message) => listener(fromMonitor(message, current))),
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
