import {
  createDevtoolsRecorder,
  type DevtoolsEntry as RecordedEntry,
} from '../../../stories/support/playground/devtoolsRecorder'
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

const field = <T>(state: unknown, key: string, type: string): T | null => {
  const value = (state as Record<string, unknown> | null)?.[key]
  return typeof value === type ? (value as T) : null
}

const toEntry = (recorded: RecordedEntry): DevtoolsEntry => {
  const { state } = recorded
  const error = (state as { error?: { kind?: unknown } } | null)?.error
  return {
    id: recorded.id,
    at: recorded.at,
    type: recorded.type,
    status: field(state, 'status', 'string'),
    expiresAt: field(state, 'expiresAt', 'number'),
    signOutReason: field(state, 'signOutReason', 'string'),
    errorKind: typeof error?.kind === 'string' ? error.kind : null,
    token: field(state, 'token', 'string'),
  }
}

/**
 * The page's log of every devtools action: the Storybook playground's recorder (it puts a
 * recording extension on the global while the store is created, forwarding to the real one,
 * which a test injects before the page loads), keeping every entry, as an observable.
 */
export function createDevtoolsLog(now: () => number) {
  const entries: Observable<readonly DevtoolsEntry[]> = observable([])
  const recorder = createDevtoolsRecorder(now, { maxEntries: Number.POSITIVE_INFINITY })
  recorder.subscribe(() => entries.set(recorder.entries().map(toEntry)))
  return { entries, record: recorder.record }
}

export type DevtoolsLog = ReturnType<typeof createDevtoolsLog>
