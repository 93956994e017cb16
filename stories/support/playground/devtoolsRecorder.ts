/** One action as Redux DevTools received it: the library has already redacted the state. */
export interface DevtoolsEntry {
  id: number
  /** Wall-clock ms when it was sent. */
  at: number
  type: string
  state: Record<string, unknown>
}

interface Connection {
  init(state: unknown, ...rest: unknown[]): void
  send(action: unknown, state: unknown, ...rest: unknown[]): void
  subscribe(listener: (message: unknown) => void): (() => void) | undefined
  unsubscribe?(): void
  error?(message: string): void
}

interface Extension {
  connect(options: unknown): Connection
}

type Host = { __REDUX_DEVTOOLS_EXTENSION__?: Extension }

/** The playground keeps the newest actions only; the browser tests keep them all. */
const MAX_ENTRIES = 200

/**
 * A log of what the store sends to Redux DevTools, shown by the playground. The store reads the
 * extension global once, while it is created: `record()` puts a recording extension there for
 * that moment only, which forwards to the real extension when one is installed, so both see
 * the same (redacted) actions.
 */
export function createDevtoolsRecorder(
  now: () => number = () => Date.now(),
  { maxEntries = MAX_ENTRIES }: { maxEntries?: number } = {},
) {
  let entries: readonly DevtoolsEntry[] = []
  let nextId = 1
  const listeners = new Set<() => void>()

  const push = (type: string, state: unknown) => {
    const entry = { id: nextId++, at: now(), type, state: (state ?? {}) as Record<string, unknown> }
    entries = [...entries.slice(-(maxEntries - 1)), entry]
    for (const listener of [...listeners]) listener()
  }

  const recordingExtension = (real: Extension | undefined): Extension => ({
    connect(options) {
      const forward = real?.connect(options)
      return {
        init(state, ...rest) {
          push('@@INIT', state)
          forward?.init(state, ...rest)
        },
        send(action, state, ...rest) {
          const type =
            typeof action === 'string' ? action : String((action as { type?: unknown }).type)
          push(type, state)
          forward?.send(action, state, ...rest)
        },
        subscribe: (listener) => forward?.subscribe(listener) ?? (() => undefined),
        unsubscribe: () => forward?.unsubscribe?.(),
        error: (message) => forward?.error?.(message),
      }
    },
  })

  return {
    entries: () => entries,
    subscribe(listener: () => void) {
      listeners.add(listener)
      return () => {
        listeners.delete(listener)
      }
    },
    clear() {
      entries = []
      for (const listener of [...listeners]) listener()
    },
    /** Runs `create` (which builds the store) with the recording extension installed. */
    record<T>(create: () => T): T {
      const host = window as unknown as Host
      const real = host.__REDUX_DEVTOOLS_EXTENSION__
      host.__REDUX_DEVTOOLS_EXTENSION__ = recordingExtension(real)
      try {
        return create()
      } finally {
        if (real === undefined) delete host.__REDUX_DEVTOOLS_EXTENSION__
        else host.__REDUX_DEVTOOLS_EXTENSION__ = real
      }
    },
  }
}

export type DevtoolsRecorder = ReturnType<typeof createDevtoolsRecorder>
