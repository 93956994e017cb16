import { type Observable, observable } from './observable'

/** One action as Redux DevTools was sent it (the library has already redacted it). */
export interface DevtoolsEntry {
  id: number
  /** Page time (accelerated) when it was sent. */
  at: number
  type: string
  status: string | null
  /** The access token's expiry in that state: at `auth/refresh/pending`, the old token's. */
  expiresAt: number | null
  signOutReason: string | null
  errorKind: string | null
  /** The token as devtools saw it, e.g. `eyJ…(redacted)`. */
  token: string | null
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

const field = <T>(state: unknown, key: string, type: string): T | null => {
  const value = (state as Record<string, unknown> | null)?.[key]
  return typeof value === type ? (value as T) : null
}

/**
 * The page's log of every devtools action. The store reads the extension global once, while
 * it is created: `record()` puts a recording extension there for that moment, which forwards
 * to the real one when there is one (a test injects its own before the page loads).
 */
export function createDevtoolsLog(now: () => number) {
  const entries: Observable<readonly DevtoolsEntry[]> = observable([])
  const push = (type: string, state: unknown) => {
    const error = (state as { error?: { kind?: unknown } } | null)?.error
    const entry: DevtoolsEntry = {
      id: entries.get().length + 1,
      at: now(),
      type,
      status: field(state, 'status', 'string'),
      expiresAt: field(state, 'expiresAt', 'number'),
      signOutReason: field(state, 'signOutReason', 'string'),
      errorKind: typeof error?.kind === 'string' ? error.kind : null,
      token: field(state, 'token', 'string'),
    }
    entries.set([...entries.get(), entry])
  }
  const recording = (real: Extension | undefined): Extension => ({
    connect(options) {
      const forward = real?.connect(options)
      return {
        init(state, ...rest) {
          push('@@INIT', state)
          forward?.init(state, ...rest)
        },
        send(action, state, ...rest) {
          push(
            typeof action === 'string' ? action : String((action as { type?: unknown }).type),
            state,
          )
          forward?.send(action, state, ...rest)
        },
        subscribe: (listener) => forward?.subscribe(listener) ?? (() => undefined),
        unsubscribe: () => forward?.unsubscribe?.(),
        error: (message) => forward?.error?.(message),
      }
    },
  })
  return {
    entries,
    record<T>(create: () => T): T {
      const host = window as unknown as Host
      const real = host.__REDUX_DEVTOOLS_EXTENSION__
      host.__REDUX_DEVTOOLS_EXTENSION__ = recording(real)
      try {
        return create()
      } finally {
        if (real === undefined) delete host.__REDUX_DEVTOOLS_EXTENSION__
        else host.__REDUX_DEVTOOLS_EXTENSION__ = real
      }
    },
  }
}

export type DevtoolsLog = ReturnType<typeof createDevtoolsLog>
